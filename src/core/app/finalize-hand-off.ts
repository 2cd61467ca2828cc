// The finalize use case (CLI `finalize`, POST /endpoints/{id}/finalize locally): checks the other
// party's endpoint against the waiting request, then resumes its workflow. A refused report leaves the
// wait as it was.
import { parseProvisionRequest } from '../domain/request.ts';
import type { AtlasPort, Ec2Port } from '../ports.ts';
import type { Environment } from './environment.ts';
import { type ConsumerReport, handOffFor, NothingWaitingError } from './hand-off.ts';
import { verifyConsumerEndpoint } from './verify-consumer-endpoint.ts';

export type HandOffPorts = (region: string) => { ec2: Ec2Port; atlas?: AtlasPort };

export async function finalizeHandOff(
  env: Pick<Environment, 'stateDir' | 'store'>,
  requestId: string,
  report: ConsumerReport,
  portsFor: HandOffPorts,
): Promise<void> {
  const handOff = handOffFor(env.stateDir);
  const waitingFor = await handOff.waitingFor(requestId);
  const record = await env.store.get('provision', requestId);
  const parsed = parseProvisionRequest((record?.input as { request?: unknown } | undefined)?.request);
  if (!waitingFor || !parsed.ok)
    throw new NothingWaitingError(`request ${requestId} is not waiting for the other party's endpoint`);
  await verifyConsumerEndpoint(parsed.request, waitingFor, report.endpointId, portsFor(parsed.request.region));
  await handOff.complete(requestId, report);
}
