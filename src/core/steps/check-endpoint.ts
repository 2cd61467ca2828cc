// CheckEndpoint: one DescribeVpcEndpoints per poll (and, for Atlas, one GET of our endpoint at Atlas);
// the Choice after it decides what comes next. An endpoint waiting for a vendor without an API says
// exactly what someone must do, and is checked with a long backoff until the request's vendor deadline.
import { nextEndpointPollSeconds, nextVendorPollSeconds } from '../domain/polling.ts';
import type { Action } from '../domain/result.ts';
import { isKnownVendor, vendorAction } from '../domain/vendors.ts';
import { AwsRequestError, EndpointStateError, PreconditionError, VendorStateError } from '../errors.ts';
import { atlasEndpointStatus } from './atlas-endpoint.ts';
import { waitsOnOwner } from './create-interface-endpoint.ts';
import type { AtlasStepPorts, Ec2StepPorts, EndpointState, ServiceState, WorkflowState } from './state.ts';

/** What the service's owner must do for a pending endpoint. */
export function ownerAction(state: WorkflowState, service: ServiceState, endpointId: string): Action {
  const spec = state.request.service;
  const what =
    'vendor' in spec && isKnownVendor(spec.vendor)
      ? vendorAction(spec.vendor, endpointId, state.request.region)
      : `Ask the owner of ${service.serviceName} to accept the connection of ${endpointId}`;
  return { who: 'vendor', what, endpointId };
}

export async function checkEndpoint(
  state: WorkflowState,
  ports: Ec2StepPorts & Partial<AtlasStepPorts>,
): Promise<EndpointState> {
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
  const now = ports.clock.now();
  if (found.state === 'failed')
    throw new EndpointStateError('EndpointFailed', `endpoint ${endpoint.endpointId} went to state failed`);
  if (found.state === 'rejected' || found.state === 'expired')
    throw new EndpointStateError(
      'EndpointRejected',
      `the service owner ${found.state === 'rejected' ? 'rejected' : 'let expire'} the connection of ${endpoint.endpointId}`,
    );
  const waitingOnOwner = found.state === 'pendingAcceptance' && waitsOnOwner(service);
  if (waitingOnOwner && endpoint.vendorDeadlineAt !== undefined && now > endpoint.vendorDeadlineAt)
    throw new VendorStateError(
      'VendorDeadlineExceeded',
      `nobody accepted ${endpoint.endpointId} on ${service.serviceName} before the vendor deadline (${polls} checks)`,
    );

  const atlas =
    service.kind === 'atlas' && ports.atlas
      ? await atlasEndpointStatus(service, endpoint.endpointId, { atlas: ports.atlas })
      : undefined;
  const ready = found.state === 'available' && (!atlas || atlas.connectionStatus === 'AVAILABLE');
  if (!ready && now > endpoint.deadlineAt)
    throw new EndpointStateError(
      'EndpointDeadlineExceeded',
      `endpoint ${endpoint.endpointId} is still ${found.state}${atlas ? ` (Atlas: ${atlas.connectionStatus})` : ''} after ${polls} checks`,
    );
  const { action: _previousAction, ...rest } = endpoint;
  return {
    ...rest,
    state: found.state,
    polls,
    waitSeconds: waitingOnOwner ? nextVendorPollSeconds(polls - 1) : nextEndpointPollSeconds(polls),
    needsAcceptance: found.state === 'pendingAcceptance' && service.owned,
    ready,
    ...(waitingOnOwner && { action: ownerAction(state, service, endpoint.endpointId) }),
    ...(atlas && { vendorStatus: atlas.connectionStatus }),
  };
}
