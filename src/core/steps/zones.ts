// Finding the private zones a request uses: its own (by CallerReference) or one already serving the VPC.
import { zoneCreator } from '../domain/ids.ts';
import type { ProvisionRequest } from '../domain/request.ts';
import { AwsRequestError } from '../errors.ts';
import type { HostedZoneInfo, Route53Port, Tags } from '../ports.ts';

export interface RequestZone {
  zone: HostedZoneInfo;
  createdByRequest: boolean;
}

/**
 * The zone named `name` this request created, else a private zone of that name already associated
 * with the consumer VPC (reused, never deleted by us), else undefined. ListHostedZonesByName carries
 * each zone's CallerReference, so our own zone costs no GetHostedZone; only others' zones are asked
 * for their VPCs.
 */
export async function findRequestZone(
  route53: Route53Port,
  request: ProvisionRequest,
  vpcId: string,
  name: string,
): Promise<RequestZone | undefined> {
  const candidates = (await route53.findZonesByName(name)).filter((zone) => zone.privateZone);
  const own = candidates.find((zone) => zoneCreator(zone.callerReference, name) === request.requestId);
  if (own) return { zone: own, createdByRequest: true };
  for (const candidate of candidates) {
    const detail = await route53.getZone(candidate.hostedZoneId);
    if (detail?.vpcs.some((v) => v.vpcId === vpcId)) return { zone: detail, createdByRequest: false };
  }
  return undefined;
}

const isCode = (error: unknown, code: string) => error instanceof AwsRequestError && error.code === code;

/**
 * The request's zone for `name`, created (and tagged) when there is none. CreateHostedZone comes first,
 * so the usual case takes no lookup: Route 53 refuses it with HostedZoneAlreadyExists when this
 * CallerReference made a zone before (a re-run or a concurrent run of this attempt), and with
 * ConflictingDomainExists when a zone of this name already serves the VPC (ours from another attempt,
 * or someone's to reuse) — only then is the zone looked up and adopted.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html#API_CreateHostedZone_Errors
 */
export async function ensureRequestZone(
  route53: Route53Port,
  args: { request: ProvisionRequest; vpcId: string; name: string; callerReference: string; tags: Tags },
): Promise<RequestZone> {
  const { request, vpcId, name, callerReference, tags } = args;
  try {
    const created = await route53.createPrivateZone({
      name,
      callerReference,
      vpcId,
      region: request.region,
      comment: `privatelink-automation ${request.requestId}`,
    });
    await route53.tagZone(created.hostedZoneId, tags);
    return {
      zone: { hostedZoneId: created.hostedZoneId, name, privateZone: true, callerReference },
      createdByRequest: true,
    };
  } catch (error) {
    if (!isCode(error, 'HostedZoneAlreadyExists') && !isCode(error, 'ConflictingDomainExists')) throw error;
    const found = await findRequestZone(route53, request, vpcId, name);
    if (!found) throw error;
    // The run that created it may have stopped before tagging it; adding the same tags again changes nothing.
    if (found.createdByRequest) await route53.tagZone(found.zone.hostedZoneId, tags);
    return found;
  }
}
