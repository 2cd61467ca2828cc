// `privatelink finalize --request-id ID --endpoint-id VPCE`: reports the other party's endpoint to a
// provisioning that waits for it (consumer.external). The endpoint is checked first (it exists, it
// targets this request's service, it comes from the allowed account); a refusal (exit 2) leaves the
// wait as it was, and a request that waits for nothing is refused too.
import type { Environment } from '../../core/app/environment.ts';
import { finalizeHandOff } from '../../core/app/finalize-hand-off.ts';
import { atlasStepPorts } from '../../core/aws/atlas-step-ports.ts';
import type { CliArgs } from '../args.ts';
import { EXIT, type Io } from './io.ts';

export async function finalize(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const requestId = args.requestId ?? '';
  const endpointId = args.endpointId ?? '';
  await finalizeHandOff(env, requestId, { endpointId, ...(args.dnsName && { dnsName: args.dnsName }) }, atlasStepPorts);
  io.err(
    `privatelink: ${endpointId} checked and reported to ${requestId}; the waiting workflow accepts it and finishes`,
  );
  if (args.json) io.out(JSON.stringify({ requestId, endpointId, status: 'PROVISIONING' }));
  return EXIT.ok;
}
