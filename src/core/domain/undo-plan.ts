// What to undo for a request, decided from what was found tagged with (or owned by) it.
// Shared by compensation after a failure and by teardown: both remove exactly what the request made.
import type { RecordSet } from '../ports.ts';

export interface FoundResources {
  /** per zone, the record sets this request wrote, exactly as read back */
  records: { hostedZoneId: string; zoneName: string; records: RecordSet[] }[];
  /** private zones the request uses; `otherRecords` counts what is there besides the apex SOA/NS and ours */
  zones: {
    hostedZoneId: string;
    name: string;
    createdByRequest: boolean;
    /** created by another request of this project (shared through dns.zoneName): ours to remove once empty */
    createdByOtherRequest?: boolean;
    otherRecords: number;
  }[];
  endpoints: { endpointId: string; state: string }[];
  ingressRules: { groupId: string; ruleId: string }[];
  /** endpoint services the request created, with every connection to them */
  services: { serviceId: string; connections: { endpointId: string; state: string }[] }[];
  /** service.atlas: Atlas's endpoint service and which of its registrations are ours */
  atlas?: FoundAtlas;
  /** zone names whose lookup or removal this pass could not finish (throttled): they wait for the next pass */
  unresolvedZones?: string[];
  /**
   * Our records stay recognizable once the endpoint is gone: its addresses are remembered from an
   * earlier pass. Until then, an endpoint waits for the records that are known by its data.
   */
  endpointFactsKept?: boolean;
  /**
   * Our records in a zone we did not create could not be deleted (a terminal error): they are known by
   * the endpoint's addresses only, which the next teardown reads from the live endpoint, so it stays.
   */
  othersZoneRecordsFailed?: boolean;
}

export interface FoundAtlas {
  projectId: string;
  serviceId: string;
  /** this request created Atlas's service (else it adopted the project's) */
  createdByRequest: boolean;
  /** Atlas still lists it (it deletes a service with its last endpoint) */
  exists: boolean;
  /** our endpoints still registered with it, with Atlas's connectionStatus */
  registered: { endpointId: string; connectionStatus: string }[];
  /** endpoints of others registered with it */
  others: number;
}

export type UndoAction =
  | { kind: 'deleteRecords'; hostedZoneId: string; zoneName: string; records: RecordSet[] }
  | { kind: 'deleteZone'; hostedZoneId: string; name: string }
  | { kind: 'deleteEndpoint'; endpointId: string }
  | { kind: 'revokeIngress'; groupId: string; ruleIds: string[] }
  | { kind: 'rejectConnections'; serviceId: string; endpointIds: string[] }
  | { kind: 'deleteService'; serviceId: string }
  | { kind: 'deregisterAtlasEndpoint'; projectId: string; serviceId: string; endpointId: string }
  | { kind: 'deleteAtlasService'; projectId: string; serviceId: string };

export interface UndoPlan {
  actions: UndoAction[];
  /** what stays on purpose, and why */
  kept: string[];
  /** non-empty: something is still going away; run the plan again later */
  waitingFor: string[];
  /** how many of those are already on their way (an endpoint deleting, a deregistration at Atlas) */
  inProgress: number;
}

const GONE_CONNECTION_STATES = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

/** Reverse order of creation: records, zones, endpoint, ingress rules, then the service once nothing uses it. */
export function planUndo(found: FoundResources): UndoPlan {
  const actions: UndoAction[] = [];
  const kept: string[] = [];
  const waitingFor: string[] = [];
  let inProgress = 0;

  for (const z of found.records)
    if (z.records.length > 0)
      actions.push({ kind: 'deleteRecords', hostedZoneId: z.hostedZoneId, zoneName: z.zoneName, records: z.records });

  for (const zone of found.zones) {
    if (!zone.createdByRequest && !(zone.createdByOtherRequest && zone.otherRecords === 0)) continue;
    if (zone.otherRecords === 0) actions.push({ kind: 'deleteZone', hostedZoneId: zone.hostedZoneId, name: zone.name });
    else kept.push(`zone ${zone.name} (${zone.hostedZoneId}): it holds ${zone.otherRecords} record set(s) of others`);
  }

  // Atlas first: an endpoint is deregistered there, and gone there, before it is deleted in AWS (the
  // Terraform provider's lesson: wait for the 404 before removing what depends on it, VENDORS.md §2.3).
  const atlas = found.atlas;
  const atAtlas = new Set(atlas?.registered.map((r) => r.endpointId) ?? []);
  for (const registration of atlas?.registered ?? []) {
    if (registration.connectionStatus === 'DELETING') inProgress += 1;
    else
      actions.push({
        kind: 'deregisterAtlasEndpoint',
        projectId: atlas?.projectId ?? '',
        serviceId: atlas?.serviceId ?? '',
        endpointId: registration.endpointId,
      });
    waitingFor.push(`Atlas to deregister ${registration.endpointId}`);
  }

  const unresolved = found.unresolvedZones ?? [];
  for (const name of unresolved) waitingFor.push(`Route 53 to answer for zone ${name}`);
  // Records in a zone we did not create are told apart by the endpoint's addresses: with zones not yet
  // looked up and those addresses not remembered, or such records left by a failed delete (the memory
  // goes with this execution), the endpoint stays.
  const endpointWaits = (unresolved.length > 0 && !found.endpointFactsKept) || found.othersZoneRecordsFailed === true;
  for (const endpoint of found.endpoints) {
    if (endpoint.state === 'deleting') inProgress += 1;
    else if (!atAtlas.has(endpoint.endpointId) && !endpointWaits)
      actions.push({ kind: 'deleteEndpoint', endpointId: endpoint.endpointId });
    waitingFor.push(`endpoint ${endpoint.endpointId} to be deleted`);
  }

  if (atlas?.exists) {
    if (!atlas.createdByRequest)
      kept.push(`Atlas endpoint service ${atlas.serviceId}: the project's, not created by this request`);
    else if (atlas.others > 0)
      kept.push(`Atlas endpoint service ${atlas.serviceId}: ${atlas.others} endpoint(s) of others registered`);
    else if (atAtlas.size > 0 || found.endpoints.length > 0)
      waitingFor.push(`Atlas endpoint service ${atlas.serviceId} to have no endpoints`);
    else actions.push({ kind: 'deleteAtlasService', projectId: atlas.projectId, serviceId: atlas.serviceId });
  }

  const rulesByGroup = new Map<string, string[]>();
  for (const rule of found.ingressRules)
    rulesByGroup.set(rule.groupId, [...(rulesByGroup.get(rule.groupId) ?? []), rule.ruleId]);
  for (const [groupId, ruleIds] of rulesByGroup) actions.push({ kind: 'revokeIngress', groupId, ruleIds });

  const ours = new Set(found.endpoints.map((e) => e.endpointId));
  for (const service of found.services) {
    const pending = service.connections.filter((c) => c.state === 'pendingAcceptance' && !ours.has(c.endpointId));
    if (pending.length > 0)
      actions.push({
        kind: 'rejectConnections',
        serviceId: service.serviceId,
        endpointIds: pending.map((c) => c.endpointId),
      });
    const others = service.connections.filter(
      (c) => !ours.has(c.endpointId) && c.state !== 'pendingAcceptance' && !GONE_CONNECTION_STATES.has(c.state),
    );
    if (others.length > 0)
      kept.push(`endpoint service ${service.serviceId}: ${others.length} endpoint(s) of others still connected`);
    else if (found.endpoints.length > 0) waitingFor.push(`endpoint service ${service.serviceId} to have no endpoints`);
    else actions.push({ kind: 'deleteService', serviceId: service.serviceId });
  }

  return { actions, kept, waitingFor, inProgress };
}

/**
 * Whether `action` must wait for the next pass because `earlier`, planned before it, was not carried
 * out in this one: a zone waits for its records; an endpoint waits for records known by its data (in a
 * zone we did not create), unless its addresses are remembered.
 */
export function waitsFor(
  action: UndoAction,
  earlier: UndoAction,
  found: Pick<FoundResources, 'zones' | 'endpointFactsKept'>,
): boolean {
  if (earlier.kind !== 'deleteRecords') return false;
  if (action.kind === 'deleteZone') return action.hostedZoneId === earlier.hostedZoneId;
  if (action.kind !== 'deleteEndpoint' || found.endpointFactsKept) return false;
  // In a zone this request created every record at a planned name is ours: no data needed to know them.
  return !found.zones.some((z) => z.hostedZoneId === earlier.hostedZoneId && z.createdByRequest);
}

export function describeUndoAction(action: UndoAction): string {
  switch (action.kind) {
    case 'deleteRecords':
      return `deleted ${action.records.map((r) => `${r.type} ${r.name}`).join(', ')} in zone ${action.zoneName}`;
    case 'deleteZone':
      return `deleted private hosted zone ${action.name} (${action.hostedZoneId})`;
    case 'deleteEndpoint':
      return `deleted interface endpoint ${action.endpointId}`;
    case 'revokeIngress':
      return `revoked ingress rule(s) ${action.ruleIds.join(', ')} on ${action.groupId}`;
    case 'rejectConnections':
      return `rejected pending connection(s) ${action.endpointIds.join(', ')} to ${action.serviceId}`;
    case 'deleteService':
      return `deleted endpoint service ${action.serviceId}`;
    case 'deregisterAtlasEndpoint':
      return `deregistered ${action.endpointId} from Atlas endpoint service ${action.serviceId}`;
    case 'deleteAtlasService':
      return `deleted Atlas endpoint service ${action.serviceId} of project ${action.projectId}`;
  }
}

/** The resource an action would have removed, by id: what remains when it fails. */
export function undoActionResource(action: UndoAction): string {
  switch (action.kind) {
    case 'deleteRecords':
      return `${action.records.map((r) => `${r.type} ${r.name}`).join(', ')} in zone ${action.zoneName} (${action.hostedZoneId})`;
    case 'deleteZone':
      return `private hosted zone ${action.name} (${action.hostedZoneId})`;
    case 'deleteEndpoint':
      return `interface endpoint ${action.endpointId}`;
    case 'revokeIngress':
      return `ingress rule(s) ${action.ruleIds.join(', ')} on ${action.groupId}`;
    case 'rejectConnections':
      return `pending connection(s) ${action.endpointIds.join(', ')} to ${action.serviceId}`;
    case 'deleteService':
      return `endpoint service ${action.serviceId}`;
    case 'deregisterAtlasEndpoint':
      return `${action.endpointId} registered with Atlas endpoint service ${action.serviceId}`;
    case 'deleteAtlasService':
      return `Atlas endpoint service ${action.serviceId} of project ${action.projectId}`;
  }
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Same name, type and data (values as a set, or the same alias target). */
export function sameRecord(a: RecordSet, b: RecordSet): boolean {
  if (normalizeName(a.name) !== normalizeName(b.name) || a.type !== b.type) return false;
  if (a.aliasTarget || b.aliasTarget)
    return (
      !!a.aliasTarget &&
      !!b.aliasTarget &&
      normalizeName(a.aliasTarget.dnsName) === normalizeName(b.aliasTarget.dnsName) &&
      a.aliasTarget.hostedZoneId === b.aliasTarget.hostedZoneId
    );
  const left = [...a.values].sort();
  const right = [...b.values].sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

/**
 * Which of a zone's record sets this request wrote. At a planned name and type, a record is ours when
 * it holds what we would write, or when it sits in a zone this request created (an earlier run may have
 * written other addresses). Nothing else is ever touched.
 */
export function recordsOwnedByRequest(args: {
  existing: RecordSet[];
  planned: RecordSet[];
  plannedDataKnown: boolean;
  zoneCreatedByRequest: boolean;
}): RecordSet[] {
  return args.existing.filter((record) => {
    const plan = args.planned.find(
      (p) => normalizeName(p.name) === normalizeName(record.name) && p.type === record.type,
    );
    if (!plan) return false;
    return (args.plannedDataKnown && sameRecord(plan, record)) || args.zoneCreatedByRequest;
  });
}

/** The apex SOA and NS Route 53 creates with every zone. */
export function isZoneApexDefault(record: RecordSet, zoneName: string): boolean {
  return (record.type === 'SOA' || record.type === 'NS') && normalizeName(record.name) === normalizeName(zoneName);
}
