// What provisioning a request would do, decided from what read-only calls observed (`privatelink plan`):
// each resource it would create, reuse, update (its own, written again) or be refused on, and why. The
// rules are the steps' own, reached through the same domain functions (the DNS plan, the allowlists,
// the name claims, the record ownership); a pure decision, no AWS import.
import type {
  AtlasCluster,
  AtlasEndpointService,
  AtlasInterfaceEndpoint,
  EndpointInfo,
  EndpointServiceInfo,
  IngressRule,
  RecordSet,
} from '../ports.ts';
import { type EndpointDnsFacts, planDns, type ZonePlan } from './dns-plan.ts';
import { atlasServiceInRegion, describeIngress, ingressExists, plannedIngress } from './plan-rules.ts';
import { atlasRegionName } from './regions.ts';
import type { ProvisionRequest } from './request.ts';
import { sameRecord } from './undo-plan.ts';

export {
  atlasServiceInRegion,
  describeIngress,
  ingressExists,
  type PlannedIngress,
  plannedIngress,
  REUSABLE_ENDPOINT_STATES,
} from './plan-rules.ts';

export type PlanAction = 'create' | 'reuse' | 'update' | 'wait' | 'refuse';

export type PlanResource =
  | 'request'
  | 'endpoint-service'
  | 'allowed-principals'
  | 'atlas-endpoint-service'
  | 'atlas-cluster'
  | 'endpoint'
  | 'ingress-rule'
  | 'atlas-registration'
  | 'hosted-zone'
  | 'record';

export interface PlanItem {
  resource: PlanResource;
  action: PlanAction;
  /** what it is: a service name, a zone or record name, "sg-… from sg-… tcp 1024-1026" */
  name: string;
  /** its id, when it exists */
  id?: string;
  why: string;
  /** refuse: the error code provisioning would fail with */
  code?: string;
}

export interface Plan {
  requestId: string;
  region: string;
  /** no item refused: provisioning would go through (someone may still have to act: `wait`) */
  wouldSucceed: boolean;
  items: PlanItem[];
}

/** A refusal observed before (or instead of) a resource: an allowlist, a name collision, an id conflict, an error. */
export interface ObservedRefusal {
  resource: PlanResource;
  name: string;
  code: string;
  message: string;
}

export type ServiceObservation =
  | { kind: 'own'; found?: EndpointServiceInfo }
  | { kind: 'named' | 'vendor'; serviceName?: string; found?: EndpointServiceInfo }
  | {
      kind: 'atlas';
      projectId: string;
      clusterName: string;
      services: AtlasEndpointService[];
      cluster?: AtlasCluster;
      /** EC2's view of Atlas's service, once Atlas names it */
      found?: EndpointServiceInfo;
    };

export interface ZoneObservation {
  name: string;
  /** the zone the steps would use (findRequestZone): this request's, or a private zone already serving the VPC */
  zone?: { hostedZoneId: string; createdByRequest: boolean };
  /** its record sets, when it exists */
  records: RecordSet[];
}

export interface PlanObservations {
  /** refusals found without a resource of their own (allowlists, name claims, the id, errors the calls answered) */
  refusals: ObservedRefusal[];
  /** the request id is provisioned here already, with this body and status */
  existing?: { status: string };
  service: ServiceObservation;
  /** the endpoint tagged with the request, in a state the workflow carries on with */
  endpoint?: EndpointInfo;
  /** its addresses, when it exists */
  endpointIps?: string[];
  ingressRules: IngressRule[];
  /** Atlas's record of our endpoint, when both exist */
  atlasRegistration?: AtlasInterfaceEndpoint;
  zones: ZoneObservation[];
}

// Two stand-ins for an endpoint that does not exist yet: a record planned alike from both does not
// depend on the endpoint (SRV, TXT), so what a zone holds at its name can be compared now.
const STAND_IN_A: EndpointDnsFacts = {
  dnsName: 'vpce-a.vpce-svc-a.invalid',
  hostedZoneId: 'ZA',
  privateIps: ['192.0.2.1'],
};
const STAND_IN_B: EndpointDnsFacts = {
  dnsName: 'vpce-b.vpce-svc-b.invalid',
  hostedZoneId: 'ZB',
  privateIps: ['192.0.2.2'],
};

export interface PlannedRecords {
  zones: ZonePlan[];
  /** whether each record's data is known now (by "TYPE name") */
  dataKnown: (record: RecordSet) => boolean;
}

/** The zones and records the request would write: from the endpoint's facts when it exists, else from stand-ins. */
export function plannedRecords(request: ProvisionRequest, facts: EndpointDnsFacts | undefined): PlannedRecords {
  if (facts) return { zones: planDns(request, facts), dataKnown: () => true };
  const zones = planDns(request, STAND_IN_A);
  const other = planDns(request, STAND_IN_B).flatMap((z) => z.records);
  return {
    zones,
    dataKnown: (record) => other.some((o) => sameRecord(o, record)),
  };
}

const recordLabel = (record: RecordSet) => `${record.type} ${record.name}`;

function recordData(record: RecordSet): string {
  return record.aliasTarget ? `alias to ${record.aliasTarget.dnsName}` : record.values.join(', ');
}

function serviceItems(request: ProvisionRequest, observed: PlanObservations): PlanItem[] {
  const { service } = observed;
  const items: PlanItem[] = [];
  if (service.kind === 'own') {
    const spec = 'create' in request.service ? request.service.create : undefined;
    const nlbs = spec?.networkLoadBalancerArns.join(', ') ?? '';
    items.push(
      service.found
        ? {
            resource: 'endpoint-service',
            action: 'reuse',
            name: service.found.serviceName,
            id: service.found.serviceId,
            why: `this request's endpoint service (tagged with its id), ${service.found.state}`,
          }
        : {
            resource: 'endpoint-service',
            action: 'create',
            name: `endpoint service for ${nlbs}`,
            why: `CreateVpcEndpointServiceConfiguration, acceptance ${spec?.acceptanceRequired ? 'required' : 'not required'}, tagged with the request`,
          },
    );
    const principals = [...(spec?.allowedPrincipals ?? [])];
    if ('external' in request.consumer) principals.push(`arn:aws:iam::${request.consumer.external.accountId}:root`);
    if (principals.length > 0)
      items.push({
        resource: 'allowed-principals',
        action: service.found ? 'reuse' : 'create',
        name: [...new Set(principals)].join(', '),
        why: service.found
          ? 'granted when the service was made; AddAllowedPrincipals again changes nothing (not read back)'
          : 'AddAllowedPrincipals on the new service',
      });
    return items;
  }
  if (service.kind !== 'atlas') {
    if (service.found)
      items.push({
        resource: 'endpoint-service',
        action: 'reuse',
        name: service.found.serviceName,
        id: service.found.serviceId,
        why: `${service.kind === 'vendor' ? "the vendor's" : 'the named'} service, ${service.found.state}${service.found.acceptanceRequired ? ', its owner accepts each endpoint' : ''}`,
      });
    return items;
  }
  // Atlas: the project's endpoint service for the region, found or to be created; the cluster must exist.
  const existing = atlasServiceInRegion(service.services, request.region);
  if (existing?.status === 'FAILED')
    items.push({
      resource: 'atlas-endpoint-service',
      action: 'refuse',
      name: `Atlas endpoint service of project ${service.projectId} in ${request.region}`,
      id: existing.id,
      code: 'AtlasEndpointServiceFailed',
      why: `Atlas's endpoint service ${existing.id} failed${existing.errorMessage ? `: ${existing.errorMessage}` : ''}`,
    });
  else if (existing)
    items.push({
      resource: 'atlas-endpoint-service',
      action: 'reuse',
      name: existing.endpointServiceName ?? `Atlas endpoint service of project ${service.projectId}`,
      id: existing.id,
      why: `the project's endpoint service for ${atlasRegionName(request.region)}, ${existing.status}: used as it is`,
    });
  else
    items.push({
      resource: 'atlas-endpoint-service',
      action: 'create',
      name: `Atlas endpoint service of project ${service.projectId} in ${atlasRegionName(request.region)}`,
      why: 'the project has none in this region: Atlas creates it (INITIATING, then WAITING_FOR_USER); the workflow waits for it',
    });
  if (service.cluster)
    items.push({
      resource: 'atlas-cluster',
      action: 'reuse',
      name: service.cluster.name,
      why: `the cluster whose private connection strings the result carries, ${service.cluster.stateName}`,
    });
  return items;
}

function endpointItems(request: ProvisionRequest, observed: PlanObservations): PlanItem[] {
  const items: PlanItem[] = [];
  const { service, endpoint } = observed;
  const serviceName =
    service.found?.serviceName ?? (service.kind === 'atlas' ? 'the service Atlas names' : 'the new endpoint service');
  if ('external' in request.consumer) {
    const { accountId } = request.consumer.external;
    items.push({
      resource: 'endpoint',
      action: 'wait',
      name: `the other party's endpoint to ${serviceName}`,
      why: `account ${accountId} creates it (WAITING_FOR_CONSUMER, the command in actions), then reports it with finalize`,
    });
    return items;
  }
  const { vpcId, subnetIds } = request.consumer;
  if (endpoint)
    items.push({
      resource: 'endpoint',
      action: 'reuse',
      name: endpoint.serviceName,
      id: endpoint.endpointId,
      why: `this request's endpoint (tagged with its id) in ${endpoint.vpcId}, ${endpoint.state}`,
    });
  else
    items.push({
      resource: 'endpoint',
      action: 'create',
      name: `interface endpoint to ${serviceName}`,
      why: `CreateVpcEndpoint in ${vpcId}, subnets ${subnetIds.join(', ')}, private DNS off, tagged with the request`,
    });
  const found = service.found;
  const vendorAccepts =
    (service.kind === 'vendor' || service.kind === 'named') &&
    found?.acceptanceRequired &&
    endpoint?.state !== 'available';
  if (vendorAccepts)
    items.push({
      resource: 'endpoint',
      action: 'wait',
      name: `acceptance of the endpoint by the owner of ${found.serviceName}`,
      why: 'the service requires acceptance and is not ours: the workflow waits for its owner (WAITING_FOR_VENDOR)',
    });
  for (const rule of plannedIngress(request))
    items.push(
      ingressExists(rule, observed.ingressRules)
        ? { resource: 'ingress-rule', action: 'reuse', name: describeIngress(rule), why: "this request's rule" }
        : {
            resource: 'ingress-rule',
            action: 'create',
            name: describeIngress(rule),
            why: 'AuthorizeSecurityGroupIngress from the allowFrom group, tagged',
          },
    );
  if (service.kind === 'atlas')
    items.push(
      observed.atlasRegistration && observed.atlasRegistration.connectionStatus !== 'DELETING'
        ? {
            resource: 'atlas-registration',
            action: 'reuse',
            name: `${endpoint?.endpointId ?? 'the endpoint'} at Atlas`,
            ...(endpoint && { id: endpoint.endpointId }),
            why: `registered with Atlas's endpoint service, ${observed.atlasRegistration.connectionStatus}`,
          }
        : {
            resource: 'atlas-registration',
            action: 'create',
            name: `${endpoint?.endpointId ?? 'the new endpoint'} at Atlas`,
            why: "registered with Atlas's endpoint service at once; Atlas accepts the connection",
          },
    );
  return items;
}

function dnsItems(request: ProvisionRequest, observed: PlanObservations, planned: PlannedRecords): PlanItem[] {
  const items: PlanItem[] = [];
  const vpcId = 'vpcId' in request.consumer ? request.consumer.vpcId : '';
  for (const zone of planned.zones) {
    const seen = observed.zones.find((z) => z.name === zone.zoneName);
    const found = seen?.zone;
    if (!found)
      items.push({
        resource: 'hosted-zone',
        action: 'create',
        name: zone.zoneName,
        why: `a private hosted zone named after it, associated with ${vpcId}, tagged`,
      });
    else
      items.push({
        resource: 'hosted-zone',
        action: 'reuse',
        name: zone.zoneName,
        id: found.hostedZoneId,
        why: found.createdByRequest
          ? 'made by this request (its CallerReference)'
          : `a private zone of that name already serves ${vpcId}: used, never deleted by this request`,
      });
    for (const record of zone.records) {
      const current = seen?.records.find((r) => r.name === record.name && r.type === record.type);
      const known = planned.dataKnown(record);
      const name = recordLabel(record);
      if (!current) {
        items.push({
          resource: 'record',
          action: 'create',
          name,
          why: known
            ? `UPSERT ${recordData(record)}`
            : "UPSERT, from the endpoint's addresses or DNS name once it exists",
        });
      } else if (known && sameRecord(current, record)) {
        items.push({
          resource: 'record',
          action: 'reuse',
          name,
          why: `holds what the request writes: ${recordData(record)}`,
        });
      } else if (found?.createdByRequest) {
        items.push({
          resource: 'record',
          action: 'update',
          name,
          why: `in this request's zone, written again (now ${recordData(current)})`,
        });
      } else {
        items.push({
          resource: 'record',
          action: 'refuse',
          name,
          code: 'RecordConflict',
          why: `zone ${zone.zoneName} (${found?.hostedZoneId}) is not this request's and already holds ${recordData(current)} there; provisioning refuses to overwrite it`,
        });
      }
    }
  }
  return items;
}

/** What provision does with a request id it has provisioned here already. */
function existingWhy(status: string): string {
  if (status === 'READY') return 'provisioned here already (READY): provision returns that result and calls nothing';
  if (status === 'FAILED')
    return 'provisioned here before and FAILED: provision runs it again (a new attempt), converging on what is left';
  return `being provisioned here (${status}): provision returns its result as it stands, or carries on where an interrupted run stopped`;
}

/** What provisioning `request` would do, given what the read-only calls saw. */
export function planProvision(request: ProvisionRequest, observed: PlanObservations): Plan {
  const items: PlanItem[] = observed.refusals.map((r) => ({
    resource: r.resource,
    action: 'refuse' as const,
    name: r.name,
    code: r.code,
    why: r.message,
  }));
  if (observed.existing)
    items.push({
      resource: 'request',
      action: 'reuse',
      name: request.requestId,
      why: existingWhy(observed.existing.status),
    });
  items.push(...serviceItems(request, observed), ...endpointItems(request, observed));
  if ('vpcId' in request.consumer) {
    const facts = factsOf(observed);
    try {
      items.push(...dnsItems(request, observed, plannedRecords(request, facts)));
    } catch (error) {
      // The DNS plan's own refusals (a record outside dns.zoneName, an endpoint without addresses).
      const e = error as Error & { code?: string };
      items.push({
        resource: 'record',
        action: 'refuse',
        name: 'the private DNS records',
        code: e.code ?? e.name,
        why: e.message,
      });
    }
  }
  return {
    requestId: request.requestId,
    region: request.region,
    wouldSucceed: !items.some((i) => i.action === 'refuse'),
    items,
  };
}

/** The DNS facts of the endpoint that exists; undefined when there is none (or it has no addresses yet). */
function factsOf(observed: PlanObservations): EndpointDnsFacts | undefined {
  const regional = observed.endpoint?.dnsEntries[0];
  if (!regional) return undefined;
  const privateIps = observed.endpointIps ?? [];
  if (privateIps.length === 0) return undefined;
  return { dnsName: regional.dnsName, hostedZoneId: regional.hostedZoneId, privateIps };
}
