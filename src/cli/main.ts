// `privatelink`: parses the command line, opens the sandbox (or AWS) and runs one command.
import { type Environment, openEnvironment } from '../core/app/environment.ts';
import { RequestConflictError } from '../core/app/provision.ts';
import { RequestRefusedError } from '../core/errors.ts';
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './args.ts';
import { COMMANDS } from './commands/index.ts';
import { EXIT, type Io, processIo } from './commands/io.ts';

export { EXIT, type Io } from './commands/io.ts';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    io.err(`privatelink: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.invalid;
  }
  if (args.help || args.command.length === 0) {
    (args.help ? io.out : io.err)(USAGE);
    return args.help ? EXIT.ok : EXIT.invalid;
  }
  const command = COMMANDS[args.command.join(' ')];
  if (!command) {
    io.err(`privatelink: unknown command: ${args.command.join(' ')}\n\n${USAGE}`);
    return EXIT.invalid;
  }
  let env: Environment | undefined;
  try {
    env = await openEnvironment({
      ...(args.stateDir !== undefined && { stateDir: args.stateDir }),
      ...(args.seedFile !== undefined && { seedFile: args.seedFile }),
      aws: args.aws,
      faults: args.faults,
      reset: args.reset,
    });
    return await command(args, env, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`privatelink: ${error.message}\n\n${USAGE}`);
      return EXIT.invalid;
    }
    if (error instanceof RequestConflictError || error instanceof RequestRefusedError) {
      io.err(`privatelink: ${error.message}`);
      return EXIT.invalid;
    }
    // Setup problems (a bad seed, a bad --fault) are the command line's fault; say so plainly.
    io.err(`privatelink: ${(error as Error).message}`);
    return env ? EXIT.failed : EXIT.invalid;
  } finally {
    await env?.close();
  }
}
