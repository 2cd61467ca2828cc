// Every command has its own usage: `help COMMAND`, `COMMAND --help`; the list of commands; --version.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMMAND_LIST } from '../../src/cli/commands/index.ts';
import { FLAGS, flagSynopsis } from '../../src/cli/flags.ts';
import { runCli } from '../support/cli.ts';

const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const names = COMMAND_LIST.map((c) => c.name);

describe('privatelink help', () => {
  it('lists every command with its summary, on stdout, exit 0', async () => {
    for (const argv of [['help'], ['--help'], ['-h']]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.stdout).toContain('Usage: privatelink <command> [options]');
      for (const spec of COMMAND_LIST) {
        expect(run.stdout).toContain(spec.name);
        expect(run.stdout).toContain(spec.summary);
      }
      expect(run.stderr).toBe('');
    }
  });

  it('a group with --help lists its commands only', async () => {
    const run = await runCli(['sandbox', '--help']);
    expect(run.code).toBe(0);
    for (const spec of COMMAND_LIST)
      if (spec.name.startsWith('sandbox ')) expect(run.stdout).toContain(spec.summary);
      else expect(run.stdout).not.toContain(spec.summary);
  });

  it('without a command prints the usage on stderr and exits 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: privatelink <command> [options]');
  });

  it.each(names)('help %s: what it does, its flags, an example and its exit codes', async (name) => {
    const spec = COMMAND_LIST.find((c) => c.name === name);
    if (!spec) throw new Error(name);
    const run = await runCli(['help', ...name.split(' ')]);
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text.startsWith(`Usage: privatelink ${name}`)).toBe(true);
    // Long explanations wrap: compare with the whitespace folded.
    const folded = text.replace(/\s+/g, ' ');
    for (const flag of [...spec.flags, 'json', 'help'] as const) {
      expect(text).toContain(flagSynopsis(flag));
      expect(folded).toContain(FLAGS[flag].help);
    }
    // Everything but the synopsis and the examples (copied as they are) fits 100 columns.
    const prose = text.split('\n').filter((l) => !l.startsWith('Usage:') && !spec.examples.some((e) => l === `  ${e}`));
    for (const line of prose) expect(line.length, line).toBeLessThanOrEqual(100);
    if (spec.runsOn !== 'nothing')
      for (const flag of ['--sandbox-state DIR', '--sandbox-seed FILE', '--aws']) expect(text).toContain(flag);
    expect(text).toContain('Examples:');
    for (const example of spec.examples) expect(text).toContain(example);
    expect(text).toContain('Exit codes:');
    for (const [code, meaning] of spec.exits) expect(text).toContain(`${code}  ${meaning}`);
    // COMMAND --help is the same page, and so is -h.
    expect((await runCli([...name.split(' '), '--help'])).stdout).toBe(text);
    expect((await runCli([...name.split(' '), '-h'])).stdout).toBe(text);
  });

  it('shows a command’s help even when its required flags are missing', async () => {
    const run = await runCli(['finalize', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: privatelink finalize --request-id ID --endpoint-id VPCE');
  });

  it('help for an unknown command names the nearest one and exits 2', async () => {
    const run = await runCli(['help', 'provison']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Did you mean 'provision'?");
  });

  it('--version prints the package version; with --json as an object', async () => {
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `privatelink ${pkg.version}`, stderr: '' });
    const json = await runCli(['--version', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ version: pkg.version });
  });

  it('help --json and COMMAND --help --json print one JSON object with the usage', async () => {
    expect(JSON.parse((await runCli(['help', '--json'])).stdout).usage).toContain('Commands:');
    const page = JSON.parse((await runCli(['list', '--help', '--json'])).stdout);
    expect(page.command).toBe('list');
    expect(page.usage).toContain('Usage: privatelink list');
  });
});
