// Usage text: the list of commands, and each command's own page (what it does, flags, examples, exits).
import { acceptedFlags } from './args.ts';
import type { CommandSpec } from './commands/spec.ts';
import { FLAGS, type FlagName, type FlagSpec, flagSynopsis, WHERE_FLAGS } from './flags.ts';

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** `provision --request FILE [--fault OP:CODE[:COUNT]]... [--reset]` */
export function synopsis(spec: CommandSpec): string {
  const parts = [spec.name];
  if (spec.positional) parts.push(spec.name === 'help' ? `[${spec.positional.name}]` : spec.positional.name);
  for (const flag of spec.flags) {
    const s: FlagSpec = FLAGS[flag];
    const text = `${flagSynopsis(flag)}${s.multiple ? '...' : ''}`;
    parts.push(spec.required?.includes(flag) ? text : `[${text}]`);
  }
  return parts.join(' ');
}

function flagRows(flags: readonly FlagName[]): string[] {
  const width = Math.max(...flags.map((f) => flagSynopsis(f).length)) + 2;
  // Long explanations wrap under themselves, so the flags stay in one column.
  const indent = ' '.repeat(width + 3);
  return flags.map(
    (f) => `  ${flagSynopsis(f).padEnd(width)} ${wrap(FLAGS[f].help, 100 - indent.length, indent).trimStart()}`,
  );
}

export function commandHelp(spec: CommandSpec): string {
  const own = acceptedFlags(spec).filter((f) => !WHERE_FLAGS.includes(f));
  const lines = [`Usage: privatelink ${synopsis(spec)}`, '', wrap(spec.description, 96, '  '), ''];
  if (spec.positional) lines.push('Arguments:', `  ${spec.positional.name.padEnd(20)} ${spec.positional.help}`, '');
  lines.push('Options:', ...flagRows(own), '');
  if (spec.runsOn !== 'nothing') {
    lines.push(spec.runsOn === 'sandbox' ? 'Where it runs (the sandbox only):' : 'Where it runs:');
    lines.push(...flagRows(WHERE_FLAGS), '');
  }
  lines.push('Examples:', ...spec.examples.map((e) => `  ${e}`), '');
  lines.push('Exit codes:', ...spec.exits.map(([code, meaning]) => `  ${code}  ${meaning}`));
  return lines.join('\n');
}

export function globalUsage(specs: readonly CommandSpec[], version: string): string {
  // Each command by name (and argument); its own page gives its flags.
  const brief = (s: CommandSpec) => [s.name, s.positional?.name].filter(Boolean).join(' ');
  const rows = specs.map((s) => [brief(s), s.summary] as const);
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return [
    `Usage: privatelink <command> [options]        (privatelink ${version})`,
    '',
    'One request to a working AWS PrivateLink endpoint, private DNS and connection strings.',
    '',
    'Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)} ${summary}`),
    '',
    'Options (every command):',
    ...flagRows(['json', 'help']),
    '',
    'Where it runs (every command but help):',
    ...flagRows(WHERE_FLAGS),
    '',
    "'privatelink help COMMAND' or 'privatelink COMMAND --help': a command's flags, examples, exit codes.",
    '',
    'Exit codes: 0 ready or done, 1 the workflow failed, 2 the request or the command line is invalid.',
  ].join('\n');
}

/** Every command's page as Markdown, for docs/ (a test can keep a checked-in copy in step with this). */
export function markdownReference(specs: readonly CommandSpec[]): string {
  const sections = specs.map((spec) => {
    const rows = acceptedFlags(spec).map((f) => `| \`${flagSynopsis(f)}\` | ${FLAGS[f].help.replaceAll('|', '\\|')} |`);
    return [
      `## \`privatelink ${synopsis(spec)}\``,
      '',
      spec.description,
      '',
      ...(spec.positional ? [`\`${spec.positional.name}\`: ${spec.positional.help}.`, ''] : []),
      '| flag | meaning |',
      '| --- | --- |',
      ...rows,
      '',
      'Examples:',
      '',
      '```sh',
      ...spec.examples,
      '```',
      '',
      'Exit codes:',
      '',
      ...spec.exits.map(([code, meaning]) => `- \`${code}\`: ${meaning}`),
    ].join('\n');
  });
  return [
    '# The command line',
    '',
    'Generated from the CLI itself (`src/cli/commands/index.ts`); `privatelink help COMMAND` prints the same.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}
