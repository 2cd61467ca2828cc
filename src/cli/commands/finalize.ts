// `privatelink finalize --request-id ID --endpoint-id VPCE`: reports the other party's endpoint to a
// provisioning that waits for it (consumer.external); the waiting workflow accepts it and carries on.
import type { Environment } from '../../core/app/environment.ts';
import { handOffFor, NothingWaitingError } from '../../core/app/hand-off.ts';
import { EndpointId } from '../../core/domain/request.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { EXIT, type Io } from './io.ts';

export async function finalize(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!args.requestId || !args.endpointId) throw new UsageError('finalize needs --request-id ID --endpoint-id VPCE');
  const endpoint = EndpointId.safeParse(args.endpointId);
  if (!endpoint.success) throw new UsageError(`--endpoint-id ${endpoint.error.issues[0]?.message ?? 'is invalid'}`);
  try {
    await handOffFor(env.stateDir).complete(args.requestId, { endpointId: endpoint.data });
  } catch (error) {
    if (!(error instanceof NothingWaitingError)) throw error;
    io.err(`privatelink: ${error.message}`);
    if (args.json) io.out(JSON.stringify({ error: { code: error.code, message: error.message } }, null, 2));
    return EXIT.invalid;
  }
  io.err(`privatelink: ${endpoint.data} reported to ${args.requestId}; the waiting workflow accepts it and finishes`);
  if (args.json)
    io.out(JSON.stringify({ requestId: args.requestId, endpointId: endpoint.data, status: 'PROVISIONING' }));
  return EXIT.ok;
}
