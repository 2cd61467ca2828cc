// Finding the private zones a request uses: its own (by CallerReference) or one already serving the VPC.
import { zoneCreator } from '../domain/ids.ts';
import type { ProvisionRequest } from '../domain/request.ts';
import type { Route53Port, ZoneDetail } from '../ports.ts';

export interface RequestZone {
  zone: ZoneDetail;
  createdByRequest: boolean;
}

/**
 * The zone named `name` this request created, else a private zone of that name already associated
 * with the consumer VPC (reused, never deleted by us), else undefined.
 */
export async function findRequestZone(
  route53: Route53Port,
  request: ProvisionRequest,
  vpcId: string,
  name: string,
): Promise<RequestZone | undefined> {
  let reusable: ZoneDetail | undefined;
  for (const candidate of await route53.findZonesByName(name)) {
    if (!candidate.privateZone) continue;
    const detail = await route53.getZone(candidate.hostedZoneId);
    if (!detail) continue;
    if (zoneCreator(detail.callerReference, name) === request.requestId)
      return { zone: detail, createdByRequest: true };
    if (!reusable && detail.vpcs.some((v) => v.vpcId === vpcId)) reusable = detail;
  }
  return reusable ? { zone: reusable, createdByRequest: false } : undefined;
}
