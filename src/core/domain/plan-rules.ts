// Rules the provisioning steps apply and `plan` / `verify` must reach alike: which endpoint is carried
// on with, which of Atlas's services is the region's, which ingress rules a request needs. Pure.
import type { AtlasEndpointService, IngressRule } from '../ports.ts';
import { type PortRange, portRanges } from './ingress.ts';
import { atlasRegionName } from './regions.ts';
import { ATLAS_PORT_RANGE, type ProvisionRequest, targetPorts } from './request.ts';

/** The endpoint states CreateInterfaceEndpoint carries on with rather than creating another endpoint. */
export const REUSABLE_ENDPOINT_STATES: ReadonlySet<string> = new Set(['pendingAcceptance', 'pending', 'available']);

/** Atlas's endpoint service for the region, as EnsureEndpointService finds it (one being deleted does not count). */
export function atlasServiceInRegion(
  services: AtlasEndpointService[],
  region: string,
): AtlasEndpointService | undefined {
  const wanted = atlasRegionName(region);
  return services.find((s) => s.regionName === wanted && s.status !== 'DELETING');
}

/** One ingress rule the request needs: from an application group to the endpoint's group, on a port range. */
export interface PlannedIngress extends PortRange {
  groupId: string;
  sourceGroupId: string;
}

/** The ports the application reaches (the target's, or every port Atlas may use), from each allowFrom group. */
export function plannedIngress(request: ProvisionRequest): PlannedIngress[] {
  if (!('vpcId' in request.consumer)) return [];
  const ranges = request.target ? portRanges(targetPorts(request.target)) : [{ ...ATLAS_PORT_RANGE }];
  const { securityGroupIds, allowFrom } = request.consumer;
  return securityGroupIds.flatMap((groupId) =>
    allowFrom.flatMap((sourceGroupId) => ranges.map((r) => ({ groupId, sourceGroupId, ...r }))),
  );
}

export function ingressExists(rule: PlannedIngress, existing: IngressRule[]): boolean {
  return existing.some(
    (e) =>
      e.groupId === rule.groupId &&
      e.sourceGroupId === rule.sourceGroupId &&
      e.fromPort === rule.fromPort &&
      e.toPort === rule.toPort,
  );
}

export function describeIngress(rule: PlannedIngress): string {
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  return `${rule.groupId} from ${rule.sourceGroupId} tcp ${ports}`;
}
