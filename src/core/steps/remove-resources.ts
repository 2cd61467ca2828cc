// Removes what a request made: compensation after a failure and teardown share this. It discovers
// everything by tag and CallerReference (not by trusting the workflow's state), so it also cleans
// up after a step that created something and then failed, and it can be re-entered at any point.
import { type EndpointDnsFacts, planDns, zoneNamesFor } from '../domain/dns-plan.ts';
import { zoneCreator } from '../domain/ids.ts';
import { type RemovalMemory, rememberPass, zoneNamesToLookUp } from '../domain/removal-memory.ts';
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import {
  describeUndoAction,
  type FoundResources,
  isZoneApexDefault,
  planUndo,
  recordsOwnedByRequest,
  type UndoAction,
  undoActionResource,
  waitsFor,
} from '../domain/undo-plan.ts';
import { describeCaughtError, TransientAtlasError, TransientAwsError } from '../errors.ts';
import type { AtlasPort, EndpointInfo, RecordSet } from '../ports.ts';
import { endpointFacts } from './endpoint-facts.ts';
import type { StepPorts } from './state.ts';
import { ATLAS_PROJECT_TAG, ATLAS_SERVICE_CREATED_TAG, ATLAS_SERVICE_TAG } from './tags.ts';
import { isThrottled, retryingPort } from './throttled.ts';
import { findRequestZone } from './zones.ts';

const REMOVAL_THROTTLE_SECONDS = 20;
/** What a pass stopped by the account's rate limits waits for: its next pass, after the workflow's Wait. */
export const THROTTLED_WAIT = "the account's request rate (throttled): the next pass goes on";

/** Removal's ports: Atlas's adapter too, for service.atlas requests. */
export type RemovalPorts = StepPorts & { atlas?: AtlasPort };

/**
 * What the caller knows beyond the tags: the workflow's own state (compensation) or the last result
 * (teardown): Atlas's service, and the other party's endpoint registered there (it carries no tag of ours).
 */
export interface KnownResources {
  atlas?: { projectId: string; endpointServiceId: string; created: boolean };
  atlasEndpointIds?: string[];
}

/** Atlas's service of the request, from the tags on our endpoints, else from what the caller knows. */
function atlasServiceOf(endpoints: EndpointInfo[], known: KnownResources): KnownResources['atlas'] | undefined {
  for (const endpoint of endpoints) {
    const projectId = endpoint.tags[ATLAS_PROJECT_TAG];
    const endpointServiceId = endpoint.tags[ATLAS_SERVICE_TAG];
    if (projectId && endpointServiceId)
      return { projectId, endpointServiceId, created: endpoint.tags[ATLAS_SERVICE_CREATED_TAG] === 'true' };
  }
  return known.atlas;
}

async function findAtlas(
  request: ProvisionRequest,
  endpoints: EndpointInfo[],
  known: KnownResources,
  atlas: AtlasPort | undefined,
): Promise<FoundResources['atlas']> {
  if (!('atlas' in request.service) || !atlas) return undefined;
  const service = atlasServiceOf(endpoints, known);
  if (!service) return undefined;
  const current = await atlas.getEndpointService(service.projectId, service.endpointServiceId);
  const ours = new Set([...endpoints.map((e) => e.endpointId), ...(known.atlasEndpointIds ?? [])]);
  const registered = [];
  for (const endpointId of ours) {
    const found = await atlas.getEndpoint(service.projectId, service.endpointServiceId, endpointId);
    if (found) registered.push({ endpointId, connectionStatus: found.connectionStatus });
  }
  return {
    projectId: service.projectId,
    serviceId: service.endpointServiceId,
    createdByRequest: service.created,
    exists: current !== undefined && current.status !== 'DELETING',
    registered,
    others: (current?.interfaceEndpoints ?? []).filter((id) => !ours.has(id)).length,
  };
}

export interface RemovalOutcome {
  undone: string[];
  kept: string[];
  waitingFor: string[];
  /** how many of those are on their way already (deleting): worth waiting for even after a failure */
  inProgress: number;
  /** what could not be undone (a terminal error), with the error: it remains */
  failed: { resource: string; code: string; message: string }[];
  /** what this pass and those before it settled: the next pass's `memory` */
  memory: RemovalMemory;
}

// Names and types of the plan do not depend on the endpoint; these stand in when it is gone (TEST-NET-1).
const PLACEHOLDER_FACTS: EndpointDnsFacts = {
  privateIps: ['192.0.2.1'],
  dnsName: 'endpoint-gone.invalid',
  hostedZoneId: 'unknown',
};

/** What a pass found, and what it learnt for the passes after it. */
export interface Discovery {
  found: FoundResources;
  /** zone names looked up to the end in this pass */
  lookedUp: string[];
  /** the endpoint's DNS facts, when this pass saw it live */
  liveFacts?: EndpointDnsFacts;
}

export async function findRequestResources(
  request: ProvisionRequest,
  ports: RemovalPorts,
  known: KnownResources = {},
  memory: RemovalMemory = {},
): Promise<Discovery> {
  const { ec2 } = ports;
  const endpoints = await ec2.findEndpointsByTag(REQUEST_ID_TAG, request.requestId);
  const ingressRules = await ec2.findIngressRulesByTag(REQUEST_ID_TAG, request.requestId);
  const services = [];
  for (const service of await ec2.findEndpointServicesByTag(REQUEST_ID_TAG, request.requestId))
    services.push({ serviceId: service.serviceId, connections: await ec2.listServiceConnections(service.serviceId) });

  const found: FoundResources = {
    records: [],
    zones: [],
    endpoints: endpoints.map((e) => ({ endpointId: e.endpointId, state: e.state })),
    ingressRules: ingressRules.map((r) => ({ groupId: r.groupId, ruleId: r.ruleId })),
    services,
  };
  const atlas = await findAtlas(request, endpoints, known, ports.atlas);
  if (atlas) found.atlas = atlas;
  if (!('vpcId' in request.consumer) || !request.target) return { found, lookedUp: [] };

  // What we would have written is known while one of our endpoints still has addresses, or from an
  // earlier pass that saw it.
  const live = endpoints.find((e) => e.state !== 'deleting');
  const liveFacts = live ? (await endpointFacts(live.endpointId, ports)).facts : undefined;
  const facts = liveFacts ?? memory.endpoint;
  if (memory.endpoint) found.endpointFactsKept = true;
  const planned = planDns(request, facts ?? PLACEHOLDER_FACTS);
  const names = zoneNamesToLookUp(zoneNamesFor(request), memory);
  const lookedUp: string[] = [];
  for (const [i, name] of names.entries()) {
    try {
      await findZoneOf(request, request.consumer.vpcId, name, {
        route53: ports.route53,
        found,
        planned: planned.find((p) => p.zoneName === name)?.records ?? [],
        plannedDataKnown: facts !== undefined,
      });
    } catch (error) {
      // Still throttled after the pass's budget: this name and the rest wait; the EC2 side goes on.
      if (!isThrottled(error)) throw error;
      found.unresolvedZones = names.slice(i);
      break;
    }
    lookedUp.push(name);
  }
  return { found, lookedUp, ...(liveFacts && { liveFacts }) };
}

/** The request's zone of `name` and our records in it, added to `found` (nothing when there is none). */
async function findZoneOf(
  request: ProvisionRequest,
  vpcId: string,
  name: string,
  into: { route53: RemovalPorts['route53']; found: FoundResources; planned: RecordSet[]; plannedDataKnown: boolean },
): Promise<void> {
  const { route53, found } = into;
  const zone = await findRequestZone(route53, request, vpcId, name);
  if (!zone) return;
  const existing = await route53.listRecords(zone.zone.hostedZoneId);
  const ours = recordsOwnedByRequest({
    existing,
    planned: into.planned,
    plannedDataKnown: into.plannedDataKnown,
    zoneCreatedByRequest: zone.createdByRequest,
  });
  found.records.push({ hostedZoneId: zone.zone.hostedZoneId, zoneName: name, records: ours });
  found.zones.push({
    hostedZoneId: zone.zone.hostedZoneId,
    name,
    createdByRequest: zone.createdByRequest,
    createdByOtherRequest: !zone.createdByRequest && createdByThisProject(zone.zone.callerReference, name),
    otherRecords: existing.filter((r) => !isZoneApexDefault(r, name) && !ours.includes(r)).length,
  });
}

/** A zone another request of this project created for `name` (its CallerReference says so, exactly). */
function createdByThisProject(reference: string | undefined, name: string): boolean {
  return zoneCreator(reference, name) !== undefined;
}

type UndoService = 'route53' | 'ec2' | 'atlas';

function serviceOf(action: UndoAction): UndoService {
  if (action.kind === 'deleteRecords' || action.kind === 'deleteZone') return 'route53';
  if (action.kind === 'deregisterAtlasEndpoint' || action.kind === 'deleteAtlasService') return 'atlas';
  return 'ec2';
}

function atlasOf(ports: RemovalPorts): AtlasPort {
  if (!ports.atlas) throw new Error('undoing at Atlas needs the Atlas adapter');
  return ports.atlas;
}

async function apply(action: UndoAction, ports: RemovalPorts, requestId: string): Promise<void> {
  switch (action.kind) {
    case 'deleteRecords':
      await ports.route53.changeRecords(
        action.hostedZoneId,
        action.records.map((record) => ({ action: 'DELETE' as const, record })),
        `privatelink-automation undo ${requestId}`,
      );
      return;
    case 'deleteZone':
      return ports.route53.deleteZone(action.hostedZoneId);
    case 'deleteEndpoint':
      return ports.ec2.deleteEndpoint(action.endpointId);
    case 'revokeIngress':
      return ports.ec2.revokeIngress(action.groupId, action.ruleIds);
    case 'rejectConnections':
      return ports.ec2.rejectConnections(action.serviceId, action.endpointIds);
    case 'deleteService':
      return ports.ec2.deleteEndpointService(action.serviceId);
    case 'deregisterAtlasEndpoint':
      return atlasOf(ports).deleteEndpoint(action.projectId, action.serviceId, action.endpointId);
    case 'deleteAtlasService':
      return atlasOf(ports).deleteEndpointService(action.projectId, action.serviceId);
  }
}

/**
 * One pass: undo what can be undone now; `waitingFor` says what must go away before the next pass.
 * A call still throttled after being repeated in place for a while (well within the Lambda's 30 s)
 * leaves the rest of that service's actions to the next pass (THROTTLED_WAIT; a zone waits for its
 * records, a service for its endpoints) while the other services' go on: many removals at once on one
 * account wait their turn for EC2's buckets (DeleteVpcEndpoints: 4, then 0.3 per second) and Route 53's
 * five requests per second for as long as the workflow's deadline allows, instead of failing after the
 * state machine's few retries. Other transient errors (5xx) go to the state machine's Retry.
 * Route 53 lookups cut short the same way leave those zones to the next pass, not the whole pass: the
 * EC2 side goes on (an endpoint too, once its addresses are remembered). `memory` is what the passes
 * before settled (domain/removal-memory.ts): zones settled are not looked up again.
 */
export async function removeRequestResources(
  request: ProvisionRequest,
  ports: RemovalPorts,
  known: KnownResources = {},
  memory: RemovalMemory = {},
): Promise<RemovalOutcome> {
  ports = {
    ...ports,
    ec2: retryingPort(ports.ec2, ports.clock, REMOVAL_THROTTLE_SECONDS),
    route53: retryingPort(ports.route53, ports.clock, REMOVAL_THROTTLE_SECONDS),
  };
  let discovery: Discovery;
  try {
    discovery = await findRequestResources(request, ports, known, memory);
  } catch (error) {
    if (!isThrottled(error)) throw error;
    return { undone: [], kept: [], waitingFor: [THROTTLED_WAIT], inProgress: 0, failed: [], memory };
  }
  const { found } = discovery;
  const plan = planUndo(found);
  const undone: string[] = [];
  const failed: RemovalOutcome['failed'] = [];
  const applied: UndoAction[] = [];
  const throttled = new Set<UndoService>();
  const notDone: UndoAction[] = [];
  for (const action of plan.actions) {
    // That service's later actions may depend on a throttled one, and so may a zone or an endpoint
    // (waitsFor): they wait for the next pass too.
    if (throttled.has(serviceOf(action)) || notDone.some((earlier) => waitsFor(action, earlier, found))) {
      notDone.push(action);
      continue;
    }
    try {
      await apply(action, ports, request.requestId);
      undone.push(describeUndoAction(action));
      applied.push(action);
    } catch (error) {
      if (isThrottled(error)) {
        throttled.add(serviceOf(action));
        notDone.push(action);
        continue;
      }
      // Other transient errors (5xx): the state machine retries the whole pass, which finds what is left.
      if (error instanceof TransientAwsError || error instanceof TransientAtlasError) throw error;
      // Anything else: say what remains and why, and go on with what does not depend on it.
      const { code, message } = describeCaughtError({ Error: (error as Error).name, Cause: (error as Error).message });
      failed.push({ resource: undoActionResource(action), code, message });
    }
  }
  // Deleting an endpoint sets it deleting at once; the next pass sees that, so count it in progress now.
  const started = applied.filter((a) => a.kind === 'deleteEndpoint' || a.kind === 'deregisterAtlasEndpoint').length;
  const cutShort = throttled.size > 0 || (found.unresolvedZones ?? []).length > 0;
  return {
    undone,
    kept: plan.kept,
    waitingFor: cutShort ? [...plan.waitingFor, THROTTLED_WAIT] : plan.waitingFor,
    inProgress: plan.inProgress + started,
    failed,
    memory: rememberPass(memory, {
      lookedUp: discovery.lookedUp,
      zonesFound: found.zones.map((z) => z.name),
      applied,
      ...(discovery.liveFacts && { endpoint: discovery.liveFacts }),
    }),
  };
}

/** What remains after a pass that met terminal errors: each failure with its code, then what was still going away. */
export function remainingAfter(outcome: RemovalOutcome): string[] {
  return [...outcome.failed.map((f) => `${f.resource}: ${f.code} (${f.message})`), ...outcome.waitingFor];
}
