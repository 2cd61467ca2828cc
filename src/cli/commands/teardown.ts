// `privatelink teardown --request-id ID`: runs the teardown workflow for a provisioned request.
import type { Environment } from '../../core/app/environment.ts';
import { startTeardown } from '../../core/app/teardown.ts';
import type { CliArgs } from '../args.ts';
import { progressPrinter } from '../progress.ts';
import { EXIT, type Io } from './io.ts';
import { print } from './print.ts';

export async function teardown(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const requestId = args.requestId ?? '';
  io.err(`privatelink: tearing down ${requestId}`);
  const printer = progressPrinter();
  const start = await startTeardown(env, requestId, (event, elapsed) => {
    for (const line of printer(event, elapsed)) io.err(line);
  });
  if (start.kind === 'existing') io.err(`privatelink: a teardown of ${requestId} is running already`);
  const result = start.kind === 'existing' ? start.result : await start.execution;
  const code = print(io, args, result);
  return result.status === 'DELETED' || result.status === 'DELETING' ? EXIT.ok : code;
}
