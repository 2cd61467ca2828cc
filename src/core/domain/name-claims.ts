// Which DNS names a request will write in its consumer VPC, known before anything exists, and whether
// two requests would write the same one. Private zones answer per VPC, so names collide only when both
// requests serve the same VPC. Route 53 allows one record set per name and type, and a CNAME alone at
// its name (RFC 1034 §3.6.2), so a CNAME collides with any type at the same name.
import type { RecordSet } from '../ports.ts';
import { planDns } from './dns-plan.ts';
import type { ProvisionRequest } from './request.ts';

export interface NameClaim {
  vpcId: string;
  zoneName: string;
  name: string;
  type: string;
}

export interface NameCollision {
  otherRequestId: string;
  /** the record both would write, as "SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net" */
  record: string;
  zoneName: string;
}

// Stand-ins for what the endpoint will have: planDns needs them to shape the records, and only the
// names and types are used here.
const PLACEHOLDER = { dnsName: 'vpce-0.vpce-svc-0.invalid', hostedZoneId: 'Z0', privateIps: ['192.0.2.1'] };

/** The record names and types the request writes in its VPC's private zones (none for an external consumer or Atlas). */
export function claimedNames(request: ProvisionRequest): NameClaim[] {
  if (!('vpcId' in request.consumer)) return [];
  const { vpcId } = request.consumer;
  return planDns(request, PLACEHOLDER).flatMap((zone) =>
    zone.records.map((record) => ({ vpcId, zoneName: zone.zoneName, name: record.name, type: record.type })),
  );
}

function clash(a: NameClaim, b: NameClaim): boolean {
  if (a.vpcId !== b.vpcId || a.name !== b.name) return false;
  return a.type === b.type || a.type === 'CNAME' || b.type === 'CNAME';
}

/**
 * The first name `request` would write that a request in `others` writes (or still holds) in the
 * same VPC, or undefined. `others` must not contain the request itself.
 */
export function findNameCollision(
  request: ProvisionRequest,
  others: { requestId: string; request: ProvisionRequest }[],
): NameCollision | undefined {
  const mine = claimedNames(request);
  if (mine.length === 0) return undefined;
  for (const other of others) {
    for (const theirs of claimedNames(other.request)) {
      const ours = mine.find((claim) => clash(claim, theirs));
      if (ours)
        return { otherRequestId: other.requestId, record: `${ours.type} ${ours.name}`, zoneName: ours.zoneName };
    }
  }
  return undefined;
}

/** A private zone of one of the claimed zones' names that already serves the VPC, as Route 53 shows it. */
export interface ZoneSeen {
  zoneName: string;
  /** made by this very request (its CallerReference): what is in it is the request's own */
  createdByRequest: boolean;
  /** the request of ours that made it, read from its CallerReference */
  creator?: string;
  records: RecordSet[];
}

/**
 * The first claimed name a zone not of this request already holds a record at (deployed API: the other
 * requests are not at hand, Route 53 is), or undefined. Asked only before a request's first execution, so
 * nothing found there is the request's own.
 */
export function findNameHeld(
  claims: NameClaim[],
  zones: ZoneSeen[],
): { record: string; zoneName: string; heldBy?: string } | undefined {
  for (const claim of claims) {
    const zone = zones.find((z) => z.zoneName === claim.zoneName);
    if (!zone || zone.createdByRequest) continue;
    const held = zone.records.find(
      (r) =>
        r.name.toLowerCase().replace(/\.$/, '') === claim.name &&
        (r.type === claim.type || r.type === 'CNAME' || claim.type === 'CNAME'),
    );
    if (held)
      return {
        record: `${claim.type} ${claim.name}`,
        zoneName: claim.zoneName,
        ...(zone.creator && { heldBy: zone.creator }),
      };
  }
  return undefined;
}
