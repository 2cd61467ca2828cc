// Removes what a request made: compensation after a failure and teardown share this. It discovers
// everything by tag and CallerReference (not by trusting the workflow's state), so it also cleans
// up after a step that created something and then failed, and it can be re-entered at any point.
import { type EndpointDnsFacts, zoneNamesFor } from '../domain/dns-plan.ts';
import { type RemovalMemory, rememberPass, zoneNamesToLookUp } from '../domain/removal-memory.ts';
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import { type FoundResources, planUndo } from '../domain/undo-plan.ts';
import type { AtlasPort, EndpointInfo } from '../ports.ts';
import { endpointFacts } from './endpoint-facts.ts';
import { emptyZonesPass, removeZones } from './remove-zones.ts';
import { ATLAS_PROJECT_TAG, ATLAS_SERVICE_CREATED_TAG, ATLAS_SERVICE_TAG } from './tags.ts';
import { isThrottled, retryingPort } from './throttled.ts';
import { applyActions, type RemovalFailure, type RemovalPorts } from './undo-actions.ts';

export type { RemovalPorts } from './undo-actions.ts';

const REMOVAL_THROTTLE_SECONDS = 20;
/**
 * The first pause of a throttled Route 53 call in a removal (full jitter, doubling): longer than the
 * provisioning steps' 1 s, since a pass cut short loses nothing (the next one carries on) and, with
 * many removals on one account, every early retry is one more throttled answer against the five per
 * second, not one more success (200 teardowns at once in the sandbox: about a third fewer calls).
 */
const REMOVAL_ROUTE53_BACKOFF_SECONDS = 4;
/** What a pass stopped by the account's rate limits waits for: its next pass, after the workflow's Wait. */
export const THROTTLED_WAIT = "the account's request rate (throttled): the next pass goes on";

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
  failed: RemovalFailure[];
  /** what this pass and those before it settled: the next pass's `memory` */
  memory: RemovalMemory;
}

/** What a pass found by tag (EC2, Atlas), and the endpoint's DNS facts when it is live. */
export interface Discovery {
  found: FoundResources;
  liveFacts?: EndpointDnsFacts;
}

/** The request's endpoints, ingress rules, services and Atlas registrations; its zones are removeZones' part. */
export async function findRequestResources(
  request: ProvisionRequest,
  ports: RemovalPorts,
  known: KnownResources = {},
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
  if (!('vpcId' in request.consumer) || !request.target) return { found };
  // What we would have written is known while one of our endpoints still has addresses.
  const live = endpoints.find((e) => e.state !== 'deleting');
  if (!live) return { found };
  return { found, liveFacts: (await endpointFacts(live.endpointId, ports)).facts };
}

/**
 * One pass: undo what can be undone now; `waitingFor` says what must go away before the next pass.
 * A call still throttled after being repeated in place for a while (well within the Lambda's 30 s)
 * leaves the rest of that service's actions to the next pass (THROTTLED_WAIT; a zone waits for its
 * records, a service for its endpoints) while the other services' go on: many removals at once on one
 * account wait their turn for EC2's buckets (DeleteVpcEndpoints: 4, then 0.3 per second) and Route 53's
 * five requests per second for as long as the workflow's deadline allows, instead of failing after the
 * state machine's few retries. Other transient errors (5xx) go to the state machine's Retry.
 * Zones come first, name by name (remove-zones.ts); those Route 53 did not answer for wait for the next
 * pass while the EC2 side goes on (the endpoint too, once its addresses are remembered). `memory` is
 * what the passes before settled (domain/removal-memory.ts): zone names settled are not looked up again.
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
    route53: retryingPort(ports.route53, ports.clock, REMOVAL_THROTTLE_SECONDS, REMOVAL_ROUTE53_BACKOFF_SECONDS),
  };
  let discovery: Discovery;
  try {
    discovery = await findRequestResources(request, ports, known);
  } catch (error) {
    if (!isThrottled(error)) throw error;
    return { undone: [], kept: [], waitingFor: [THROTTLED_WAIT], inProgress: 0, failed: [], memory };
  }
  const { found, liveFacts } = discovery;
  const zones =
    'vpcId' in request.consumer && request.target
      ? await removeZones(request, ports, {
          vpcId: request.consumer.vpcId,
          names: zoneNamesToLookUp(zoneNamesFor(request), memory),
          facts: liveFacts ?? memory.endpoint,
          memory,
        })
      : emptyZonesPass();
  // The EC2 and Atlas side: the zones' part is done, or waits (unresolvedZones) for the next pass.
  const rest = {
    ...found,
    unresolvedZones: zones.unresolved,
    endpointFactsKept: memory.endpoint !== undefined,
    othersZoneRecordsFailed: zones.othersZoneRecordsFailed,
  };
  const plan = planUndo(rest);
  const done = await applyActions(plan.actions, ports, request.requestId, rest);
  const applied = [...zones.applied, ...done.applied];
  // Deleting an endpoint sets it deleting at once; the next pass sees that, so count it in progress now.
  const started = applied.filter((a) => a.kind === 'deleteEndpoint' || a.kind === 'deregisterAtlasEndpoint').length;
  const cutShort = done.throttled || zones.unresolved.length > 0;
  return {
    undone: [...zones.undone, ...done.undone],
    kept: [...zones.kept, ...plan.kept],
    waitingFor: cutShort ? [...plan.waitingFor, THROTTLED_WAIT] : plan.waitingFor,
    inProgress: plan.inProgress + started,
    failed: [...zones.failed, ...done.failed],
    memory: rememberPass(memory, {
      lookedUp: zones.lookedUp,
      zonesFound: zones.zonesFound,
      ownZones: zones.ownZones,
      applied,
      ...(liveFacts && { endpoint: liveFacts }),
    }),
  };
}

/** What remains after a pass that met terminal errors: each failure with its code, then what was still going away. */
export function remainingAfter(outcome: RemovalOutcome): string[] {
  return [...outcome.failed.map((f) => `${f.resource}: ${f.code} (${f.message})`), ...outcome.waitingFor];
}
