// `privatelink`: parses the command line, opens the sandbox (or AWS) and runs one command. Only what
// a command needs is loaded (the environment and the command's module are imported when it runs), so
// `privatelink --help` starts in a few tens of milliseconds.
import type { Environment } from '../core/app/environment.ts';
import { RequestRefusedError } from '../core/errors.ts';
import { type CliArgs, type Parsed, parseCommandLine, UsageError } from './args.ts';
import { COMMAND_LIST, COMMANDS, type CommandSpec, HELP } from './commands/index.ts';
import { EXIT, type Io, processIo } from './commands/io.ts';
import { commandHelp, globalUsage, synopsis } from './help.ts';
import { explainFailure } from './render.ts';

export { EXIT, type Io } from './commands/io.ts';

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The one JSON object a failed --json run prints. */
function errorJson(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } }, null, 2);
}

interface Failure {
  code: string;
  message: string;
  exit: number;
  command?: string;
}

/** Errors that are refusals without being RequestRefusedErrors (they live where they are thrown). */
const REFUSALS = [
  'NothingWaitingError',
  'FinalizeConflictError',
  'SeedConflictError',
  'SeedError',
  'VendorActionError',
  'ConsumerRefusedError',
];

/** What went wrong, as the user should hear it, and the exit code it earns. */
function failureOf(error: unknown, opened: boolean): Failure {
  const e = error as Error & { code?: unknown; command?: string };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (error instanceof UsageError)
    return {
      code: error.code,
      message: error.message,
      exit: EXIT.invalid,
      ...(error.command && { command: error.command }),
    };
  // Refusals (unknown id, busy, conflicting body, not waiting, a seed for another sandbox, a vendor
  // action on no pending endpoint) are the caller's to fix: exit 2, nothing ran.
  const refused = error instanceof RequestRefusedError || REFUSALS.includes(e?.name);
  if (refused) return { code: code ?? e.name, message: e.message, exit: EXIT.invalid };
  const name = e?.name && e.name !== 'Error' ? e.name : undefined;
  const message = explainFailure(code ?? name ?? 'Error', e?.message ?? String(error));
  // Before the environment opened, it is the setup that is wrong (a bad seed, a bad --fault): exit 2.
  if (!opened) return { code: code ?? name ?? 'InvalidCommandLine', message, exit: EXIT.invalid };
  return { code: code ?? name ?? 'Error', message, exit: EXIT.failed };
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  // Each --json outcome is one JSON object on stdout: remember whether the command printed it.
  let printed = false;
  const out: Io = {
    out: (text) => {
      printed = true;
      io.out(text);
    },
    err: io.err,
  };
  const json = argv.includes('--json');
  const fail = (failure: Failure): number => {
    const spec = failure.command ? COMMANDS[failure.command] : undefined;
    const usage = spec ? `\nUsage: privatelink ${synopsis(spec)}\nSee 'privatelink help ${spec.name}'.` : '';
    io.err(`privatelink: ${failure.message}${usage}`);
    if (json && !printed) io.out(errorJson(failure.code, failure.message));
    return failure.exit;
  };

  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv, [...COMMAND_LIST, HELP]);
  } catch (error) {
    return fail(failureOf(error, false));
  }
  if (parsed.kind === 'version') {
    const v = await version();
    out.out(parsed.json ? JSON.stringify({ version: v }) : `privatelink ${v}`);
    return EXIT.ok;
  }
  if (parsed.kind === 'usage') {
    const group = parsed.group;
    const usage = globalUsage(
      group ? COMMAND_LIST.filter((c) => c.name.startsWith(`${group} `)) : COMMAND_LIST,
      await version(),
    );
    if (parsed.json) out.out(JSON.stringify({ usage }, null, 2));
    else (parsed.help ? io.out : io.err)(usage);
    return parsed.help || parsed.json ? EXIT.ok : EXIT.invalid;
  }
  const { args } = parsed;
  const spec = COMMANDS[parsed.command.name] ?? HELP;
  if (spec.name === 'help' || args.help) return help(spec, args, out, await version());
  if (spec.runsOn === 'sandbox' && args.aws)
    return fail({
      code: 'SandboxOnly',
      message: `${spec.name} works on the sandbox only, not with --aws`,
      exit: EXIT.invalid,
      command: spec.name,
    });
  return run(spec, args, out, fail);
}

function help(spec: CommandSpec, args: CliArgs, io: Io, v: string): number {
  let topic = spec;
  if (spec.name === 'help' && args.positionals.length > 0) {
    // `help sandbox vendor accept`, or words that start a command line (`help resolve x.example.com`).
    let named: Parsed;
    try {
      named = parseCommandLine([...args.positionals, '--help'], COMMAND_LIST);
    } catch (error) {
      const message = (error as Error).message;
      io.err(`privatelink: ${message}`);
      if (args.json) io.out(errorJson(error instanceof UsageError ? error.code : 'UnknownCommand', message));
      return EXIT.invalid;
    }
    if (named.kind !== 'command') {
      const usage = globalUsage(
        COMMAND_LIST.filter((c) => named.kind === 'usage' && c.name.startsWith(`${named.group} `)),
        v,
      );
      io.out(args.json ? JSON.stringify({ usage }, null, 2) : usage);
      return EXIT.ok;
    }
    topic = COMMANDS[named.command.name] ?? spec;
  } else if (spec.name === 'help') {
    const usage = globalUsage(COMMAND_LIST, v);
    io.out(args.json ? JSON.stringify({ usage }, null, 2) : usage);
    return EXIT.ok;
  }
  const text = commandHelp(topic);
  io.out(args.json ? JSON.stringify({ command: topic.name, usage: text }, null, 2) : text);
  return EXIT.ok;
}

/** " (.privatelink/demo knows it: add --sandbox-state .privatelink/demo)", or nothing. */
async function whereElse(stateDir: string, requestId: string): Promise<string> {
  const { elsewhere } = await import('./commands/records.ts');
  const dirs = await elsewhere(stateDir, requestId);
  return dirs.length === 0
    ? ''
    : ` (${dirs.join(', ')} ${dirs.length === 1 ? 'knows' : 'know'} it: add --sandbox-state ${dirs[0]})`;
}

async function run(spec: CommandSpec, args: CliArgs, io: Io, fail: (failure: Failure) => number): Promise<number> {
  let env: Environment | undefined;
  let code: number;
  try {
    // A seed given to a store-only command still gets the full environment's check against the state.
    if (spec.opens === 'store' && args.seedFile === undefined) {
      const [command, { openStoreEnvironment }] = await Promise.all([spec.load(), import('./store-env.ts')]);
      env = openStoreEnvironment(args);
      code = await command(args, env, io);
    } else {
      const [command, { openEnvironment }, { localSlack }] = await Promise.all([
        spec.load(),
        import('../core/app/environment.ts'),
        import('../slack/local-notifier.ts'),
      ]);
      env = await openEnvironment({
        slack: localSlack,
        ...(args.stateDir !== undefined && { stateDir: args.stateDir }),
        ...(args.seedFile !== undefined && { seedFile: args.seedFile }),
        aws: args.aws,
        faults: args.faults,
        reset: args.reset,
        ...(spec.readOnly && { readOnly: true }),
      });
      code = await command(args, env, io);
    }
  } catch (error) {
    const failure = failureOf(error, env !== undefined);
    if ((error as Error).name === 'RequestNotFoundError' && args.requestId && env)
      failure.message += await whereElse(env.stateDir, args.requestId);
    code = fail(error instanceof UsageError && !error.command ? { ...failure, command: spec.name } : failure);
  }
  try {
    await env?.close();
  } catch (error) {
    // The command ran, but what it changed could not be kept (the sandbox was not saved).
    return fail({ ...failureOf(error, true), exit: EXIT.failed });
  }
  return code;
}
