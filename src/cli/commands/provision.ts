// `privatelink provision --request FILE`: runs the provisioning workflow and prints its progress,
// then the result.
import type { Environment } from '../../core/app/environment.ts';
import { startProvision } from '../../core/app/provision.ts';
import type { CliArgs } from '../args.ts';
import { progressPrinter } from '../progress.ts';
import type { Io } from './io.ts';
import { print } from './print.ts';
import { readRequestFile } from './request-file.ts';

export async function provision(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const request = await readRequestFile(args, io, '; nothing was created');
  if (typeof request === 'number') return request;
  io.err(`privatelink: provisioning ${request.requestId} in ${request.region} on ${describe(env)}`);
  const printer = progressPrinter();
  const start = await startProvision(env, request, (event, elapsed) => {
    for (const line of printer(event, elapsed)) io.err(line);
  });
  if (start.kind === 'existing') {
    const running = ['PROVISIONING', 'WAITING_FOR_CONSUMER', 'WAITING_FOR_VENDOR'].includes(start.result.status);
    io.err(
      running
        ? `privatelink: ${request.requestId} is being provisioned by another run (${start.result.status}); its result as it stands:`
        : `privatelink: ${request.requestId} exists already (${start.result.status}); nothing was run again`,
    );
    if (args.faults.length > 0)
      io.err(`privatelink: so --fault ${args.faults.join(' --fault ')} was not used (nothing called AWS)`);
  }
  const result = start.kind === 'existing' ? start.result : await start.execution;
  return print(io, args, result);
}

function describe(env: Environment): string {
  return env.sandbox ? `the sandbox (account ${env.sandbox.accountId}, state in ${env.stateDir})` : 'AWS';
}
