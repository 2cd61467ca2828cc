// Printing a result: the result itself with --json, else the human form; the exit code it earns.
import type { ProvisionResult } from '../../core/domain/result.ts';
import type { CliArgs } from '../args.ts';
import { renderResult } from '../render.ts';
import { EXIT, type Io } from './io.ts';

export function print(io: Io, args: CliArgs, result: ProvisionResult): number {
  io.out(args.json ? JSON.stringify(result, null, 2) : renderResult(result));
  return result.status === 'FAILED' ? EXIT.failed : EXIT.ok;
}
