// The external consumer's side of the workflow (consumer.external): after WaitForConsumer hands over
// the endpoint id the other party created, CheckConsumerEndpoint follows it: from the provider side
// for our own service (DescribeVpcEndpointConnections works across accounts; DescribeVpcEndpoints does
// not), accepting it when it waits for us; at Atlas for service.atlas (registered there, Atlas accepts).
// FinalizeConsumer records the result without DNS, which the other party manages in its own VPC.
import { connectionStrings } from '../domain/connection-strings.ts';
import { ENDPOINT_DEADLINE_SECONDS, nextEndpointPollSeconds } from '../domain/polling.ts';
import { EndpointId } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { EndpointStateError, PreconditionError } from '../errors.ts';
import { atlasEndpointStatus, registerAtlasEndpoint } from './atlas-endpoint.ts';
import type { AtlasStepPorts, Ec2StepPorts, EndpointState, ServiceState, WorkflowState } from './state.ts';
import { STATUS_TAG } from './tags.ts';

/** $.consumerReport: the output finalize sends to the waiting task. */
export interface ConsumerReportState {
  endpointId: string;
  dnsName?: string;
}

export type ConsumerWorkflowState = WorkflowState;

function reportedEndpoint(state: WorkflowState): string {
  const reported = EndpointId.safeParse(state.consumerReport?.endpointId ?? state.endpoint?.endpointId);
  if (!reported.success)
    throw new PreconditionError('InvalidConsumerEndpoint', 'the other party reported no valid endpoint id');
  return reported.data;
}

/** Polls and deadline carry over while the same endpoint is followed. */
function nextCheck(state: WorkflowState, endpointId: string, now: number) {
  const previous = state.endpoint?.endpointId === endpointId ? state.endpoint : undefined;
  return {
    polls: (previous?.polls ?? 0) + 1,
    deadlineAt: previous?.deadlineAt ?? now + ENDPOINT_DEADLINE_SECONDS * 1000,
  };
}

async function checkAtAtlas(
  state: WorkflowState,
  service: ServiceState,
  endpointId: string,
  ports: AtlasStepPorts,
): Promise<EndpointState> {
  const { polls, deadlineAt } = nextCheck(state, endpointId, ports.clock.now());
  if (polls === 1) await registerAtlasEndpoint(service, endpointId, ports);
  const atlas = await atlasEndpointStatus(service, endpointId, ports);
  const ready = atlas.connectionStatus === 'AVAILABLE';
  if (!ready && ports.clock.now() > deadlineAt)
    throw new EndpointStateError(
      'EndpointDeadlineExceeded',
      `Atlas still reports ${endpointId} ${atlas.connectionStatus} after ${polls} checks`,
    );
  return {
    endpointId,
    created: false,
    state: ready ? 'available' : 'pending',
    deadlineAt,
    polls,
    waitSeconds: nextEndpointPollSeconds(polls),
    needsAcceptance: false,
    ready,
    vendorStatus: atlas.connectionStatus,
  };
}

export async function checkConsumerEndpoint(
  state: ConsumerWorkflowState,
  ports: Ec2StepPorts & Partial<AtlasStepPorts>,
): Promise<EndpointState> {
  const { service, request } = state;
  const endpointId = reportedEndpoint(state);
  if (service?.kind === 'atlas') {
    if (!ports.atlas) throw new PreconditionError('MissingAtlasPort', 'this step was built without the Atlas adapter');
    return checkAtAtlas(state, service, endpointId, { ...ports, atlas: ports.atlas });
  }
  if (!service?.owned) throw new PreconditionError('MissingState', 'no endpoint service of ours to connect to');
  const connection = (await ports.ec2.listServiceConnections(service.serviceId)).find(
    (c) => c.endpointId === endpointId,
  );
  if (!connection)
    throw new PreconditionError(
      'ConsumerEndpointNotFound',
      `endpoint ${endpointId} is not connected to ${service.serviceName}; the other party must create it for that service`,
    );
  const account = 'external' in request.consumer ? request.consumer.external.accountId : undefined;
  if (account && connection.endpointOwner && connection.endpointOwner !== account)
    throw new PreconditionError(
      'ConsumerAccountMismatch',
      `endpoint ${endpointId} belongs to account ${connection.endpointOwner}, not ${account}`,
    );
  if (connection.state === 'failed')
    throw new EndpointStateError('EndpointFailed', `endpoint ${endpointId} went to state failed`);
  if (connection.state === 'rejected' || connection.state === 'expired')
    throw new EndpointStateError('EndpointRejected', `the connection of ${endpointId} is ${connection.state}`);
  const { polls, deadlineAt } = nextCheck(state, endpointId, ports.clock.now());
  if (connection.state !== 'available' && ports.clock.now() > deadlineAt)
    throw new EndpointStateError(
      'EndpointDeadlineExceeded',
      `endpoint ${endpointId} is still ${connection.state} after ${polls} checks`,
    );
  let current = connection.state;
  if (current === 'pendingAcceptance') {
    await ports.ec2.acceptConnections(service.serviceId, [endpointId]);
    current = 'pending';
  }
  return {
    endpointId,
    created: false,
    state: current,
    deadlineAt,
    polls,
    waitSeconds: nextEndpointPollSeconds(polls),
    needsAcceptance: false,
    ready: current === 'available',
  };
}

export async function finalizeConsumer(state: ConsumerWorkflowState, ports: Ec2StepPorts): Promise<ProvisionResult> {
  const { request, service, endpoint } = state;
  if (!service || !endpoint) throw new PreconditionError('MissingState', 'no consumer endpoint has been accepted');
  if (!request.target) throw new PreconditionError('MissingTarget', 'the request has no target to connect to');
  await ports.ec2.tagResources([service.serviceId], { [STATUS_TAG]: 'ready' });
  return {
    requestId: request.requestId,
    status: 'READY',
    service: { serviceName: service.serviceName, serviceId: service.serviceId, created: service.created },
    // The endpoint lives in the other party's account: its DNS name and addresses are theirs to read.
    endpoint: {
      endpointId: endpoint.endpointId,
      state: endpoint.state,
      dnsName: state.consumerReport?.dnsName ?? '',
      privateIpAddresses: [],
    },
    connectionStrings: connectionStrings(request.target),
  };
}
