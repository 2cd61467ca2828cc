// What a command is to the command line: its words, its flags, its help, and its code, loaded only
// when it runs (so `privatelink --help` loads no SDK client and no workflow runner).
import type { Environment } from '../../core/app/environment.ts';
import type { CliArgs } from '../args.ts';
import type { FlagName } from '../flags.ts';
import type { Io } from './io.ts';

export type Command = (args: CliArgs, env: Environment, io: Io) => Promise<number> | number;

export interface CommandSpec {
  /** its words on the command line, e.g. `sandbox vendor accept` */
  name: string;
  /** one line for the command list */
  summary: string;
  /** what it does, a few sentences for `help COMMAND` */
  description: string;
  /** the flags it takes besides --json, --help and (unless runsOn is 'nothing') where it runs */
  flags: readonly FlagName[];
  /** flags it cannot run without */
  required?: readonly FlagName[];
  /** its one positional argument, e.g. resolve's NAME */
  positional?: { name: string; help: string };
  /** 'sandbox': refused with --aws; 'nothing': opens no environment */
  runsOn: 'sandbox-or-aws' | 'sandbox' | 'nothing';
  /** changes nothing (status, list, resolve, inventory): the environment is opened read-only */
  readOnly?: boolean;
  /** reads recorded executions only (status, list): opens the execution store alone, to start fast */
  opens?: 'store';
  examples: readonly string[];
  exits: readonly (readonly [code: number, meaning: string])[];
  load: () => Promise<Command>;
}
