// `privatelink teardown --request-id ID`: runs the teardown workflow for a provisioned request.
import type { Environment } from '../../core/app/environment.ts';
import { startTeardown } from '../../core/app/teardown.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { progressLine } from '../progress.ts';
import { EXIT, type Io } from './io.ts';
import { print } from './provision.ts';

export async function teardown(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!args.requestId) throw new UsageError('teardown needs --request-id ID');
  io.err(`privatelink: tearing down ${args.requestId}`);
  const start = await startTeardown(env, args.requestId, (event, elapsed) => {
    const line = progressLine(event, elapsed);
    if (line) io.err(line);
  });
  if (start.kind === 'existing') io.err(`privatelink: a teardown of ${args.requestId} is running already`);
  const result = start.kind === 'existing' ? start.result : await start.execution;
  const code = print(io, args, result);
  return result.status === 'DELETED' || result.status === 'DELETING' ? EXIT.ok : code;
}
