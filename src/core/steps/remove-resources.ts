// Removes what a request made: compensation after a failure and teardown share this. It discovers
// everything by tag and CallerReference (not by trusting the workflow's state), so it also cleans
// up after a step that created something and then failed, and it can be re-entered at any point.
import { type EndpointDnsFacts, planDns, zoneNamesFor } from '../domain/dns-plan.ts';
import { zoneCreator } from '../domain/ids.ts';
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import {
  describeUndoAction,
  type FoundResources,
  isZoneApexDefault,
  planUndo,
  recordsOwnedByRequest,
  type UndoAction,
} from '../domain/undo-plan.ts';
import { endpointFacts } from './endpoint-facts.ts';
import type { StepPorts } from './state.ts';
import { findRequestZone } from './zones.ts';

export interface RemovalOutcome {
  undone: string[];
  kept: string[];
  waitingFor: string[];
}

// Names and types of the plan do not depend on the endpoint; these stand in when it is gone (TEST-NET-1).
const PLACEHOLDER_FACTS: EndpointDnsFacts = {
  privateIps: ['192.0.2.1'],
  dnsName: 'endpoint-gone.invalid',
  hostedZoneId: 'unknown',
};

export async function findRequestResources(request: ProvisionRequest, ports: StepPorts): Promise<FoundResources> {
  const { ec2, route53 } = ports;
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
  if (!('vpcId' in request.consumer)) return found;

  // What we would have written is known while one of our endpoints still has addresses.
  const live = endpoints.find((e) => e.state !== 'deleting');
  const facts = live ? (await endpointFacts(live.endpointId, ports)).facts : undefined;
  const planned = planDns(request, facts ?? PLACEHOLDER_FACTS);
  for (const name of zoneNamesFor(request)) {
    const zone = await findRequestZone(route53, request, request.consumer.vpcId, name);
    if (!zone) continue;
    const existing = await route53.listRecords(zone.zone.hostedZoneId);
    const ours = recordsOwnedByRequest({
      existing,
      planned: planned.find((p) => p.zoneName === name)?.records ?? [],
      plannedDataKnown: facts !== undefined,
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
  return found;
}

/** A zone another request of this project created for `name` (its CallerReference says so, exactly). */
function createdByThisProject(reference: string | undefined, name: string): boolean {
  return zoneCreator(reference, name) !== undefined;
}

async function apply(action: UndoAction, ports: StepPorts, requestId: string): Promise<void> {
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
  }
}

/** One pass: undo what can be undone now; `waitingFor` says what must go away before the next pass. */
export async function removeRequestResources(request: ProvisionRequest, ports: StepPorts): Promise<RemovalOutcome> {
  const plan = planUndo(await findRequestResources(request, ports));
  const undone: string[] = [];
  for (const action of plan.actions) {
    await apply(action, ports, request.requestId);
    undone.push(describeUndoAction(action));
  }
  return { undone, kept: plan.kept, waitingFor: plan.waitingFor };
}
