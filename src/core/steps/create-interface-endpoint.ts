// CreateInterfaceEndpoint: the endpoint in the consumer VPC (found by tag first, so a re-run carries
// on), then ingress on the target ports from the application's security groups.
import { clientToken } from '../domain/ids.ts';
import { type PortRange, portRanges } from '../domain/ingress.ts';
import { ENDPOINT_DEADLINE_SECONDS } from '../domain/polling.ts';
import {
  ATLAS_PORT_RANGE,
  DEFAULT_VENDOR_DEADLINE_SECONDS,
  type ProvisionRequest,
  REQUEST_ID_TAG,
  targetPorts,
} from '../domain/request.ts';
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

/** The ports the application reaches: the target's, or the whole range Atlas may use. */
function ingressRanges(request: ProvisionRequest): PortRange[] {
  return request.target ? portRanges(targetPorts(request.target)) : [{ ...ATLAS_PORT_RANGE }];
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

const REUSABLE_STATES = new Set(['pendingAcceptance', 'pending', 'available']);

export async function createInterfaceEndpoint(
  state: WorkflowState,
  ports: Ec2StepPorts & Partial<AtlasStepPorts>,
): Promise<EndpointProgress> {
  const { request, service } = state;
  if (!service) throw new PreconditionError('MissingState', 'the endpoint service step has not run');
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer creates its own endpoint');
  const consumer = request.consumer;
  // Atlas's service is found again from the endpoint's tags when the request is torn down.
  const tags = { ...requestTags(request), ...atlasTags(service) };

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
    const ranges = ingressRanges(request);
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
