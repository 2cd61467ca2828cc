// The Route 53 side of a removal pass, one zone name at a time: look the name up, delete our records
// there, then the zone if it is ours to delete, before the next name. A name is settled (and remembered,
// domain/removal-memory.ts) as soon as its zone is gone, so throttling part-way wastes at most the
// lookups of the name it stopped at, never those of names already done.
import { type EndpointDnsFacts, planDns } from '../domain/dns-plan.ts';
import { zoneCreator } from '../domain/ids.ts';
import { type OwnZone, ownZoneOf, type RemovalMemory } from '../domain/removal-memory.ts';
import type { ProvisionRequest } from '../domain/request.ts';
import {
  type FoundResources,
  isZoneApexDefault,
  planUndo,
  recordsOwnedByRequest,
  type UndoAction,
} from '../domain/undo-plan.ts';
import { AwsRequestError } from '../errors.ts';
import type { RecordSet } from '../ports.ts';
import { isThrottled } from './throttled.ts';
import { applyActions, type RemovalFailure, type RemovalPorts } from './undo-actions.ts';
import { findRequestZone, type RequestZone } from './zones.ts';

// Names and types of the plan do not depend on the endpoint; these stand in when it is gone (TEST-NET-1).
const PLACEHOLDER_FACTS: EndpointDnsFacts = {
  privateIps: ['192.0.2.1'],
  dnsName: 'endpoint-gone.invalid',
  hostedZoneId: 'unknown',
};

export interface ZonesPass {
  undone: string[];
  applied: UndoAction[];
  failed: RemovalFailure[];
  kept: string[];
  /** names looked up to the end in this pass, and of those the ones where a zone was found */
  lookedUp: string[];
  zonesFound: string[];
  /** names whose side this pass did not finish (throttled): the next pass takes them up again */
  unresolved: string[];
  /** the zones this request created that this pass found */
  ownZones: OwnZone[];
  /** deleting our records in a zone we did not create failed (a terminal error): they remain */
  othersZoneRecordsFailed: boolean;
}

/** A pass that did nothing at Route 53 (yet). */
export function emptyZonesPass(): ZonesPass {
  return {
    undone: [],
    applied: [],
    failed: [],
    kept: [],
    lookedUp: [],
    zonesFound: [],
    unresolved: [],
    ownZones: [],
    othersZoneRecordsFailed: false,
  };
}

type ZoneFound = Pick<FoundResources, 'records' | 'zones'>;

/**
 * Removes our records and zones at `names`. `facts`: the endpoint's, live or remembered; without them
 * our records in a zone we did not create cannot be told from others' and are left alone.
 */
export async function removeZones(
  request: ProvisionRequest,
  ports: RemovalPorts,
  args: { vpcId: string; names: string[]; facts: EndpointDnsFacts | undefined; memory: RemovalMemory },
): Promise<ZonesPass> {
  const out = emptyZonesPass();
  const planned = planDns(request, args.facts ?? PLACEHOLDER_FACTS);
  for (const [i, name] of args.names.entries()) {
    let found: ZoneFound;
    try {
      found = await findZoneOf(request, ports.route53, args.vpcId, name, {
        planned: planned.find((p) => p.zoneName === name)?.records ?? [],
        plannedDataKnown: args.facts !== undefined,
        ownZoneId: ownZoneOf(args.memory, name),
      });
    } catch (error) {
      // Still throttled after the pass's budget: this name and the rest wait for the next pass.
      if (!isThrottled(error)) throw error;
      out.unresolved = args.names.slice(i);
      break;
    }
    out.lookedUp.push(name);
    if (found.zones.length > 0) out.zonesFound.push(name);
    for (const zone of found.zones)
      if (zone.createdByRequest) out.ownZones.push({ name, hostedZoneId: zone.hostedZoneId });
    const plan = planUndo({ ...found, endpoints: [], ingressRules: [], services: [] });
    out.kept.push(...plan.kept);
    const done = await applyActions(plan.actions, ports, request.requestId, found);
    out.undone.push(...done.undone);
    out.applied.push(...done.applied);
    out.failed.push(...done.failed);
    if (done.failedActions.some((a) => a.kind === 'deleteRecords' && isOthersZone(found, a.hostedZoneId)))
      out.othersZoneRecordsFailed = true;
    if (done.throttled) {
      out.unresolved = args.names.slice(i);
      break;
    }
  }
  return out;
}

const isOthersZone = (found: ZoneFound, hostedZoneId: string) =>
  found.zones.some((z) => z.hostedZoneId === hostedZoneId && !z.createdByRequest);

/** The request's zone of `name` and our records in it (none when there is no such zone). */
async function findZoneOf(
  request: ProvisionRequest,
  route53: RemovalPorts['route53'],
  vpcId: string,
  name: string,
  ours: { planned: RecordSet[]; plannedDataKnown: boolean; ownZoneId: string | undefined },
): Promise<ZoneFound> {
  const zone: RequestZone | undefined = ours.ownZoneId
    ? { zone: { hostedZoneId: ours.ownZoneId, name, privateZone: true }, createdByRequest: true }
    : await findRequestZone(route53, request, vpcId, name);
  if (!zone) return { records: [], zones: [] };
  let existing: RecordSet[];
  try {
    existing = await route53.listRecords(zone.zone.hostedZoneId);
  } catch (error) {
    // Our zone, remembered by id, gone since (another request sharing the name removed it once empty).
    if (ours.ownZoneId && error instanceof AwsRequestError && error.code === 'NoSuchHostedZone')
      return { records: [], zones: [] };
    throw error;
  }
  const records = recordsOwnedByRequest({
    existing,
    planned: ours.planned,
    plannedDataKnown: ours.plannedDataKnown,
    zoneCreatedByRequest: zone.createdByRequest,
  });
  return {
    records: [{ hostedZoneId: zone.zone.hostedZoneId, zoneName: name, records }],
    zones: [
      {
        hostedZoneId: zone.zone.hostedZoneId,
        name,
        createdByRequest: zone.createdByRequest,
        createdByOtherRequest: !zone.createdByRequest && createdByThisProject(zone.zone.callerReference, name),
        otherRecords: existing.filter((r) => !isZoneApexDefault(r, name) && !records.includes(r)).length,
      },
    ],
  };
}

/** A zone another request of this project created for `name` (its CallerReference says so, exactly). */
function createdByThisProject(reference: string | undefined, name: string): boolean {
  return zoneCreator(reference, name) !== undefined;
}
