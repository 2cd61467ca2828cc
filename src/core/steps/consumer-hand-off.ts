// The external consumer's side of the workflow (consumer.external): after WaitForConsumer hands over
// the endpoint id the other party created, CheckConsumerEndpoint follows its connection from the
// provider side (DescribeVpcEndpointConnections works across accounts; DescribeVpcEndpoints does not),
// accepting it when it waits for us; FinalizeConsumer records the result without DNS, which the other
// party manages in its own VPC.
import { connectionStrings } from '../domain/connection-strings.ts';
import { ENDPOINT_DEADLINE_SECONDS, nextEndpointPollSeconds } from '../domain/polling.ts';
import { EndpointId } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { EndpointStateError, PreconditionError } from '../errors.ts';
import type { Ec2StepPorts, EndpointState, WorkflowState } from './state.ts';
import { STATUS_TAG } from './tags.ts';

/** $.consumerReport: the output finalize sends to the waiting task. */
export interface ConsumerReportState {
  endpointId: string;
}

export type ConsumerWorkflowState = WorkflowState & { consumerReport?: ConsumerReportState };

export async function checkConsumerEndpoint(state: ConsumerWorkflowState, ports: Ec2StepPorts): Promise<EndpointState> {
  const { service, request } = state;
  if (!service?.owned) throw new PreconditionError('MissingState', 'no endpoint service of ours to connect to');
  const reported = EndpointId.safeParse(state.consumerReport?.endpointId ?? state.endpoint?.endpointId);
  if (!reported.success)
    throw new PreconditionError('InvalidConsumerEndpoint', 'the other party reported no valid endpoint id');
  const endpointId = reported.data;
  const previous = state.endpoint?.endpointId === endpointId ? state.endpoint : undefined;
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
  const polls = (previous?.polls ?? 0) + 1;
  const deadlineAt = previous?.deadlineAt ?? ports.clock.now() + ENDPOINT_DEADLINE_SECONDS * 1000;
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
  };
}

export async function finalizeConsumer(state: ConsumerWorkflowState, ports: Ec2StepPorts): Promise<ProvisionResult> {
  const { request, service, endpoint } = state;
  if (!service || !endpoint) throw new PreconditionError('MissingState', 'no consumer endpoint has been accepted');
  await ports.ec2.tagResources([service.serviceId], { [STATUS_TAG]: 'ready' });
  return {
    requestId: request.requestId,
    status: 'READY',
    service: { serviceName: service.serviceName, serviceId: service.serviceId, created: service.created },
    // The endpoint lives in the other party's account: its DNS name and addresses are theirs to read.
    endpoint: { endpointId: endpoint.endpointId, state: endpoint.state, dnsName: '', privateIpAddresses: [] },
    connectionStrings: connectionStrings(request.target),
  };
}
