// Every command, by its words on the command line. A command gets the parsed arguments, the
// environment (sandbox or AWS) and somewhere to print; it returns the exit code.
import type { Environment } from '../../core/app/environment.ts';
import type { CliArgs } from '../args.ts';
import { finalize } from './finalize.ts';
import type { Io } from './io.ts';
import { inventory, provision, status } from './provision.ts';
import { advance } from './sandbox-clock.ts';
import { serve } from './serve.ts';
import { teardown } from './teardown.ts';

export type Command = (args: CliArgs, env: Environment, io: Io) => Promise<number> | number;

export const COMMANDS: Record<string, Command> = {
  provision,
  status,
  teardown,
  finalize,
  serve,
  'sandbox inventory': inventory,
  'sandbox advance': advance,
};
