// CheckEndpoint: one DescribeVpcEndpoints per poll; the Choice after it decides what comes next.
import { nextEndpointPollSeconds } from '../domain/polling.ts';
import { AwsRequestError, EndpointStateError, PreconditionError } from '../errors.ts';
import type { Ec2StepPorts, EndpointState, WorkflowState } from './state.ts';

export async function checkEndpoint(state: WorkflowState, ports: Ec2StepPorts): Promise<EndpointState> {
  const { endpoint, service } = state;
  if (!endpoint || !service) throw new PreconditionError('MissingState', 'the endpoint has not been created');
  const found = await ports.ec2.describeEndpoint(endpoint.endpointId);
  if (!found)
    throw new AwsRequestError(
      'InvalidVpcEndpointId.NotFound',
      'DescribeVpcEndpoints',
      `endpoint ${endpoint.endpointId} no longer exists`,
    );
  const polls = endpoint.polls + 1;
  if (found.state === 'failed')
    throw new EndpointStateError('EndpointFailed', `endpoint ${endpoint.endpointId} went to state failed`);
  if (found.state === 'rejected' || found.state === 'expired')
    throw new EndpointStateError(
      'EndpointRejected',
      `the service owner ${found.state === 'rejected' ? 'rejected' : 'let expire'} the connection of ${endpoint.endpointId}`,
    );
  if (found.state !== 'available' && ports.clock.now() > endpoint.deadlineAt)
    throw new EndpointStateError(
      'EndpointDeadlineExceeded',
      `endpoint ${endpoint.endpointId} is still ${found.state} after ${polls} checks`,
    );
  return {
    ...endpoint,
    state: found.state,
    polls,
    waitSeconds: nextEndpointPollSeconds(polls),
    needsAcceptance: found.state === 'pendingAcceptance' && service.owned,
  };
}
