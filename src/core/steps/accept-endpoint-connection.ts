// AcceptEndpointConnection: only reached for services we own that require acceptance; CheckEndpoint
// follows the endpoint from `pending` at once (it polls inside its own invocation).
import { PreconditionError } from '../errors.ts';
import type { Ec2StepPorts, EndpointState, WorkflowState } from './state.ts';

export async function acceptEndpointConnection(state: WorkflowState, ports: Ec2StepPorts): Promise<EndpointState> {
  const { endpoint, service } = state;
  if (!endpoint || !service?.owned)
    throw new PreconditionError('MissingState', 'no endpoint to a service we own is waiting for acceptance');
  await ports.ec2.acceptConnections(service.serviceId, [endpoint.endpointId]);
  return { ...endpoint, state: 'pending', needsAcceptance: false, waitSeconds: 0 };
}
