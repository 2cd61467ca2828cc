// `privatelink finalize --request-id ID --endpoint-id VPCE`: reports the other party's endpoint to a
// provisioning that waits for it (consumer.external); the waiting workflow checks it, accepts it and
// carries on. A request that waits for nothing is refused (exit 2, with --json an error object).
import type { Environment } from '../../core/app/environment.ts';
import { handOffFor } from '../../core/app/hand-off.ts';
import type { CliArgs } from '../args.ts';
import { EXIT, type Io } from './io.ts';

export async function finalize(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const requestId = args.requestId ?? '';
  const endpointId = args.endpointId ?? '';
  await handOffFor(env.stateDir).complete(requestId, { endpointId });
  io.err(`privatelink: ${endpointId} reported to ${requestId}; the waiting workflow checks it and finishes`);
  if (args.json) io.out(JSON.stringify({ requestId, endpointId, status: 'PROVISIONING' }));
  return EXIT.ok;
}
