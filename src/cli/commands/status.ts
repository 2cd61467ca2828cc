// `privatelink status --request-id ID`: the result as it stands, who must act included. Read-only.
import type { Environment } from '../../core/app/environment.ts';
import { RequestNotFoundError } from '../../core/errors.ts';
import type { CliArgs } from '../args.ts';
import type { Io } from './io.ts';
import { print } from './print.ts';
import { resultNow } from './records.ts';

export async function status(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const requestId = args.requestId ?? '';
  const result = await resultNow(env, requestId);
  if (!result) {
    const error = new RequestNotFoundError(requestId);
    error.message = `no request ${requestId} in ${env.stateDir}`;
    throw error;
  }
  return print(io, args, result);
}
