// CreateInterfaceEndpoint: the endpoint in the consumer VPC (found by tag first, so a re-run carries
// on), then ingress on the target ports from the application's security groups.
import { clientToken } from '../domain/ids.ts';
import { portRanges } from '../domain/ingress.ts';
import { ENDPOINT_DEADLINE_SECONDS, nextEndpointPollSeconds } from '../domain/polling.ts';
import { REQUEST_ID_TAG, targetPorts } from '../domain/request.ts';
import { PreconditionError } from '../errors.ts';
import { type Ec2StepPorts, type EndpointState, tokenAttempt, type WorkflowState } from './state.ts';
import { requestTags } from './tags.ts';

const REUSABLE_STATES = new Set(['pendingAcceptance', 'pending', 'available']);

export async function createInterfaceEndpoint(state: WorkflowState, ports: Ec2StepPorts): Promise<EndpointState> {
  const { request, service } = state;
  if (!service) throw new PreconditionError('MissingState', 'the endpoint service step has not run');
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer creates its own endpoint');
  const consumer = request.consumer;
  const tags = requestTags(request);

  const found = await ports.ec2.findEndpointsByTag(REQUEST_ID_TAG, request.requestId);
  const endpoint =
    found.find((e) => REUSABLE_STATES.has(e.state)) ??
    (await ports.ec2.createInterfaceEndpoint({
      clientToken: clientToken(request.requestId, 'endpoint', tokenAttempt(state)),
      vpcId: consumer.vpcId,
      serviceName: service.serviceName,
      subnetIds: consumer.subnetIds,
      securityGroupIds: consumer.securityGroupIds,
      tags,
    }));

  if (consumer.allowFrom.length > 0) {
    const existing = await ports.ec2.findIngressRulesByTag(REQUEST_ID_TAG, request.requestId);
    const ranges = portRanges(targetPorts(request.target));
    for (const groupId of consumer.securityGroupIds) {
      for (const sourceGroupId of consumer.allowFrom) {
        const missing = ranges.filter(
          (r) =>
            !existing.some(
              (rule) =>
                rule.groupId === groupId &&
                rule.sourceGroupId === sourceGroupId &&
                rule.fromPort === r.fromPort &&
                rule.toPort === r.toPort,
            ),
        );
        if (missing.length > 0)
          await ports.ec2.authorizeIngress({ groupId, sourceGroupIds: [sourceGroupId], portRanges: missing, tags });
      }
    }
  }

  return {
    endpointId: endpoint.endpointId,
    created: true,
    state: endpoint.state,
    deadlineAt: ports.clock.now() + ENDPOINT_DEADLINE_SECONDS * 1000,
    polls: 0,
    waitSeconds: nextEndpointPollSeconds(0),
    needsAcceptance: false,
  };
}
