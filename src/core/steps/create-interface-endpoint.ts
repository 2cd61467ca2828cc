// CreateInterfaceEndpoint: the endpoint in the consumer VPC (found by tag first, so a re-run carries
// on), then ingress on the target ports from the application's security groups.
import { clientToken } from '../domain/ids.ts';
import type { PortRange } from '../domain/ingress.ts';
import { ingressExists, plannedIngress, REUSABLE_ENDPOINT_STATES } from '../domain/plan-rules.ts';
import { ENDPOINT_DEADLINE_SECONDS } from '../domain/polling.ts';
import { DEFAULT_VENDOR_DEADLINE_SECONDS, type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import { PreconditionError } from '../errors.ts';
import type { EndpointInfo } from '../ports.ts';
import { registerAtlasEndpoint } from './atlas-endpoint.ts';
import {
  type AtlasStepPorts,
  type Ec2StepPorts,
  type EndpointState,
  type ServiceState,
  tokenAttempt,
  type WorkflowState,
} from './state.ts';
import { atlasTags, requestTags } from './tags.ts';
import { retryingPort } from './throttled.ts';

/**
 * $.endpoint as the endpoint steps keep it: what DNS needs is known from CreateVpcEndpoint's answer (the
 * DNS name at once; the interfaces, whose addresses exist while the endpoint is still `pending`), so the
 * records can be written before the endpoint is available, and Finalize needs no read-back.
 */
export interface EndpointProgress extends EndpointState {
  /** the regional DNS name and the Route 53 zone that holds it (for alias records) */
  dnsName?: string;
  dnsHostedZoneId?: string;
  networkInterfaceIds?: string[];
}

/** The DNS facts of an endpoint as EC2 last described it. */
export function endpointDnsFields(
  info: EndpointInfo,
): Pick<EndpointProgress, 'dnsName' | 'dnsHostedZoneId' | 'networkInterfaceIds'> {
  const regional = info.dnsEntries[0];
  return {
    ...(regional && { dnsName: regional.dnsName, dnsHostedZoneId: regional.hostedZoneId }),
    networkInterfaceIds: [...info.networkInterfaceIds],
  };
}

/** A vendor (or any owner but us) must accept: the wait may take as long as the request allows. */
export function waitsOnOwner(service: ServiceState): boolean {
  return service.acceptanceRequired && !service.owned && service.kind !== 'atlas';
}

/** How long an endpoint may take to become available: an hour, plus the owner's time to act when it must. */
export function endpointDeadlines(
  request: ProvisionRequest,
  service: ServiceState,
  now: number,
): Pick<EndpointState, 'deadlineAt' | 'vendorDeadlineAt'> {
  if (!waitsOnOwner(service)) return { deadlineAt: now + ENDPOINT_DEADLINE_SECONDS * 1000 };
  const vendorDeadlineAt = now + (request.vendorDeadlineSeconds ?? DEFAULT_VENDOR_DEADLINE_SECONDS) * 1000;
  return { deadlineAt: vendorDeadlineAt + ENDPOINT_DEADLINE_SECONDS * 1000, vendorDeadlineAt };
}

export async function createInterfaceEndpoint(
  state: WorkflowState,
  ports: Ec2StepPorts & Partial<AtlasStepPorts>,
): Promise<EndpointProgress> {
  const { request, service } = state;
  if (!service) throw new PreconditionError('MissingState', 'the endpoint service step has not run');
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer creates its own endpoint');
  // EC2's bucket for CreateVpcEndpoint holds 4 and refills at 0.3 a second: with many requests at once,
  // throttled calls are repeated here (same ClientToken) within the budget rather than failing the step.
  ports = { ...ports, ec2: retryingPort(ports.ec2, ports.clock) };
  const consumer = request.consumer;
  // Atlas's service is found again from the endpoint's tags when the request is torn down.
  const tags = { ...requestTags(request), ...atlasTags(service) };

  const found = await ports.ec2.findEndpointsByTag(REQUEST_ID_TAG, request.requestId);
  const endpoint =
    found.find((e) => REUSABLE_ENDPOINT_STATES.has(e.state)) ??
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
    // One AuthorizeSecurityGroupIngress per group and source, with only the ranges still missing.
    const missing = plannedIngress(request).filter((rule) => !ingressExists(rule, existing));
    const pairs = new Map<string, { groupId: string; sourceGroupId: string; portRanges: PortRange[] }>();
    for (const { groupId, sourceGroupId, fromPort, toPort } of missing) {
      const key = `${groupId} ${sourceGroupId}`;
      const pair = pairs.get(key) ?? { groupId, sourceGroupId, portRanges: [] };
      pair.portRanges.push({ fromPort, toPort });
      pairs.set(key, pair);
    }
    for (const { groupId, sourceGroupId, portRanges } of pairs.values())
      await ports.ec2.authorizeIngress({ groupId, sourceGroupIds: [sourceGroupId], portRanges, tags });
  }

  // Atlas accepts the connection only once the endpoint is registered with it: register at once.
  const vendorStatus =
    service.kind === 'atlas' && ports.atlas
      ? (await registerAtlasEndpoint(service, endpoint.endpointId, { ...ports, atlas: ports.atlas })).connectionStatus
      : undefined;

  return {
    endpointId: endpoint.endpointId,
    created: true,
    state: endpoint.state,
    ...endpointDeadlines(request, service, ports.clock.now()),
    polls: 0,
    // CheckEndpoint polls inside its own invocation: no Wait before it.
    waitSeconds: 0,
    needsAcceptance: false,
    ready: false,
    ...endpointDnsFields(endpoint),
    ...(vendorStatus && { vendorStatus }),
  };
}
