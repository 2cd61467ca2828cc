// What changed behind a request's back (`privatelink verify`): its recorded result against what the
// account holds now, one item per difference, each saying whether `--repair` may put it back. Repair
// writes only what the request owns: its records exactly as recorded (never over another's data unless
// recordsOwnedByRequest says the record is the request's), the VPC association of a zone it created, its
// ingress rules, its registration at Atlas. What cannot be put back in place names the commands that do.
// A pure decision, no AWS import.
import type {
  AtlasEndpointService,
  AtlasInterfaceEndpoint,
  EndpointInfo,
  EndpointServiceInfo,
  IngressRule,
  RecordSet,
  ServiceConnection,
  ZoneDetail,
} from '../ports.ts';
import { zoneCreator } from './ids.ts';
import { describeIngress, ingressExists, type PlannedIngress } from './plan-rules.ts';
import type { ProvisionResult } from './result.ts';
import { recordsOwnedByRequest, sameRecord } from './undo-plan.ts';

export type DriftResource =
  | 'endpoint-service'
  | 'endpoint'
  | 'hosted-zone'
  | 'zone-association'
  | 'record'
  | 'ingress-rule'
  | 'atlas-endpoint-service'
  | 'atlas-registration';

export type RepairAction =
  | { kind: 'upsertRecord'; hostedZoneId: string; zoneName: string; record: RecordSet }
  | { kind: 'associateVpc'; hostedZoneId: string; zoneName: string; vpcId: string; region: string }
  | { kind: 'authorizeIngress'; rule: PlannedIngress }
  | { kind: 'registerAtlasEndpoint'; projectId: string; serviceId: string; endpointId: string };

export interface DriftItem {
  resource: DriftResource;
  /** the resource's id or name: vpce-…, Z…, "A pl-0-….mongodb.net" */
  id: string;
  expected: string;
  actual: string;
  repairable: boolean;
  /** what --repair does, or what to run instead */
  fix: string;
  repair?: RepairAction;
}

export interface DriftObservations {
  /** DescribeVpcEndpointServices of the recorded service: undefined when EC2 no longer knows it */
  service?: EndpointServiceInfo;
  /** DescribeVpcEndpoints of the recorded endpoint: undefined when it is gone */
  endpoint?: EndpointInfo;
  endpointIps: string[];
  /**
   * A hand-off to our own service: the other party's endpoint as our service sees it
   * (DescribeVpcEndpointConnections; DescribeVpcEndpoints lists only the caller's own endpoints).
   */
  connection?: ServiceConnection;
  /** each recorded zone: GetHostedZone (undefined when gone) and its record sets */
  zones: { hostedZoneId: string; name: string; detail?: ZoneDetail; records: RecordSet[] }[];
  /** the request's tagged ingress rules */
  ingressRules: IngressRule[];
  /** service.atlas: Atlas's endpoint service and its record of our endpoint (undefined when gone) */
  atlas?: { service?: AtlasEndpointService; registration?: AtlasInterfaceEndpoint };
}

export interface DriftContext {
  requestId: string;
  region: string;
  /** the consumer VPC (absent for a hand-off: the other party's) */
  vpcId?: string;
  /**
   * A hand-off (consumer.external): the endpoint is the other party's, seen through our own service's
   * connections ('own'), or not at all from this account ('vendor': Atlas's view stands for it).
   */
  external?: 'own' | 'vendor';
  /** the ingress rules the request needs */
  ingress: PlannedIngress[];
  /** service.atlas: the project */
  atlasProjectId?: string;
}

export interface DriftReport {
  /** what was compared, one line each */
  checked: string[];
  drift: DriftItem[];
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** The deepest recorded zone that holds `name` (as the DNS plan placed it). */
export function zoneOfRecord<Z extends { name: string }>(name: string, zones: Z[]): Z | undefined {
  const wanted = normalise(name);
  return zones
    .filter((z) => wanted === normalise(z.name) || wanted.endsWith(`.${normalise(z.name)}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

function data(record: RecordSet): string {
  return record.aliasTarget
    ? `alias to ${normalise(record.aliasTarget.dnsName)}`
    : [...record.values].sort().join(', ');
}

const sameSet = (a: string[], b: string[]) => {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
};

/** The commands that make anew what cannot be put back in place. */
export function rebuildHint(requestId: string): string {
  return `not repairable in place: run \`privatelink teardown --request-id ${requestId}\`, then \`privatelink provision --request FILE\``;
}

function endpointDrift(recorded: ProvisionResult, observed: DriftObservations, ctx: DriftContext): DriftItem[] {
  const expected = recorded.endpoint;
  if (!expected || ctx.external === 'vendor') return [];
  const rebuild = rebuildHint(ctx.requestId);
  if (ctx.external === 'own') {
    const connection = observed.connection;
    const state = connection?.state ?? 'gone';
    return state === expected.state
      ? []
      : [
          {
            resource: 'endpoint',
            id: expected.endpointId,
            expected: expected.state,
            actual: state,
            repairable: false,
            fix: rebuild,
          },
        ];
  }
  const actual = observed.endpoint;
  if (!actual)
    return [
      {
        resource: 'endpoint',
        id: expected.endpointId,
        expected: expected.state,
        actual: 'gone',
        repairable: false,
        fix: rebuild,
      },
    ];
  const items: DriftItem[] = [];
  if (actual.state !== expected.state)
    items.push({
      resource: 'endpoint',
      id: expected.endpointId,
      expected: expected.state,
      actual: actual.state,
      repairable: false,
      fix: rebuild,
    });
  if (recorded.service && actual.serviceName !== recorded.service.serviceName)
    items.push({
      resource: 'endpoint',
      id: expected.endpointId,
      expected: `connected to ${recorded.service.serviceName}`,
      actual: `connected to ${actual.serviceName}`,
      repairable: false,
      fix: rebuild,
    });
  const dnsName = actual.dnsEntries[0]?.dnsName;
  if (expected.dnsName && dnsName && normalise(dnsName) !== normalise(expected.dnsName))
    items.push({
      resource: 'endpoint',
      id: expected.endpointId,
      expected: `DNS name ${expected.dnsName}`,
      actual: `DNS name ${dnsName}`,
      repairable: false,
      fix: rebuild,
    });
  if (expected.privateIpAddresses.length > 0 && !sameSet(observed.endpointIps, expected.privateIpAddresses))
    items.push({
      resource: 'endpoint',
      id: expected.endpointId,
      expected: `addresses ${[...expected.privateIpAddresses].sort().join(', ')}`,
      actual:
        observed.endpointIps.length > 0 ? `addresses ${[...observed.endpointIps].sort().join(', ')}` : 'no addresses',
      repairable: false,
      fix: rebuild,
    });
  return items;
}

function serviceDrift(recorded: ProvisionResult, observed: DriftObservations, ctx: DriftContext): DriftItem[] {
  const expected = recorded.service;
  if (!expected?.serviceName) return [];
  const actual = observed.service;
  const id = expected.serviceId || expected.serviceName;
  if (!actual)
    return [
      {
        resource: 'endpoint-service',
        id,
        expected: 'Available',
        actual: 'gone',
        repairable: false,
        fix: rebuildHint(ctx.requestId),
      },
    ];
  if (actual.state.toLowerCase() !== 'available')
    return [
      {
        resource: 'endpoint-service',
        id,
        expected: 'Available',
        actual: actual.state,
        repairable: false,
        fix: rebuildHint(ctx.requestId),
      },
    ];
  return [];
}

function zoneDrift(recorded: ProvisionResult, observed: DriftObservations, ctx: DriftContext): DriftItem[] {
  const items: DriftItem[] = [];
  const zones = recorded.dns?.zones ?? [];
  for (const zone of zones) {
    const seen = observed.zones.find((z) => z.hostedZoneId === zone.hostedZoneId);
    const detail = seen?.detail;
    if (!detail) {
      items.push({
        resource: 'hosted-zone',
        id: `${zone.name} (${zone.hostedZoneId})`,
        expected: 'exists',
        actual: 'gone, with its records',
        repairable: false,
        fix: rebuildHint(ctx.requestId),
      });
      continue;
    }
    const ours = zoneCreator(detail.callerReference, zone.name) === ctx.requestId;
    if (ctx.vpcId && !detail.vpcs.some((v) => v.vpcId === ctx.vpcId))
      items.push({
        resource: 'zone-association',
        id: `${zone.name} (${zone.hostedZoneId})`,
        expected: `associated with ${ctx.vpcId}`,
        actual:
          detail.vpcs.length > 0
            ? `associated with ${detail.vpcs.map((v) => v.vpcId).join(', ')}`
            : 'associated with no VPC',
        repairable: ours,
        fix: ours
          ? `AssociateVPCWithHostedZone ${ctx.vpcId} (the zone is this request's)`
          : `the zone is not this request's (it was reused): its owner must associate ${ctx.vpcId} again, or ${rebuildHint(ctx.requestId).replace('not repairable in place: ', '')}`,
        ...(ours && {
          repair: {
            kind: 'associateVpc' as const,
            hostedZoneId: zone.hostedZoneId,
            zoneName: zone.name,
            vpcId: ctx.vpcId,
            region: ctx.region,
          },
        }),
      });
  }
  for (const record of recorded.dns?.records ?? []) {
    const zone = zoneOfRecord(record.name, zones);
    if (!zone) continue;
    const seen = observed.zones.find((z) => z.hostedZoneId === zone.hostedZoneId);
    // A zone gone is one drift already, its records with it.
    if (!seen?.detail) continue;
    const id = `${record.type} ${record.name}`;
    const current = seen.records.find((r) => normalise(r.name) === normalise(record.name) && r.type === record.type);
    const upsert: RepairAction = { kind: 'upsertRecord', hostedZoneId: zone.hostedZoneId, zoneName: zone.name, record };
    if (!current) {
      items.push({
        resource: 'record',
        id,
        expected: data(record),
        actual: 'missing',
        repairable: true,
        fix: `UPSERT the record as recorded in zone ${zone.name}`,
        repair: upsert,
      });
      continue;
    }
    if (sameRecord(current, record)) continue;
    const ours =
      recordsOwnedByRequest({
        existing: [current],
        planned: [record],
        plannedDataKnown: true,
        zoneCreatedByRequest: zoneCreator(seen.detail.callerReference, zone.name) === ctx.requestId,
      }).length > 0;
    items.push({
      resource: 'record',
      id,
      expected: data(record),
      actual: data(current),
      repairable: ours,
      fix: ours
        ? `UPSERT the record as recorded (zone ${zone.name} is this request's)`
        : `zone ${zone.name} is not this request's and the record now holds other data: not overwritten; ${rebuildHint(ctx.requestId).replace('not repairable in place: ', '')} once it is settled`,
      ...(ours && { repair: upsert }),
    });
  }
  return items;
}

function ingressDrift(observed: DriftObservations, ctx: DriftContext): DriftItem[] {
  return ctx.ingress
    .filter((rule) => !ingressExists(rule, observed.ingressRules))
    .map((rule) => ({
      resource: 'ingress-rule' as const,
      id: describeIngress(rule),
      expected: 'authorized',
      actual: 'missing',
      repairable: true,
      fix: 'AuthorizeSecurityGroupIngress, tagged with the request',
      repair: { kind: 'authorizeIngress' as const, rule },
    }));
}

function atlasDrift(recorded: ProvisionResult, observed: DriftObservations, ctx: DriftContext): DriftItem[] {
  const vendor = recorded.vendor;
  if (!vendor || !observed.atlas) return [];
  const rebuild = rebuildHint(ctx.requestId);
  const { service, registration } = observed.atlas;
  if (!service)
    return [
      {
        resource: 'atlas-endpoint-service',
        id: vendor.endpointServiceId,
        expected: vendor.status,
        actual: 'gone',
        repairable: false,
        fix: rebuild,
      },
    ];
  const items: DriftItem[] = [];
  if (service.status !== 'AVAILABLE' && service.status !== 'WAITING_FOR_USER')
    items.push({
      resource: 'atlas-endpoint-service',
      id: vendor.endpointServiceId,
      expected: vendor.status,
      actual: service.status,
      repairable: false,
      fix: rebuild,
    });
  const endpointId = recorded.endpoint?.endpointId;
  if (!endpointId) return items;
  const expected = vendor.connectionStatus ?? 'AVAILABLE';
  if (!registration || registration.connectionStatus === 'DELETING') {
    const canRegister = observed.endpoint !== undefined && !!ctx.atlasProjectId && !registration;
    items.push({
      resource: 'atlas-registration',
      id: endpointId,
      expected,
      actual: registration ? 'DELETING' : 'not registered',
      repairable: canRegister,
      fix: canRegister
        ? `register ${endpointId} with Atlas's endpoint service ${vendor.endpointServiceId} again`
        : rebuild,
      ...(canRegister && {
        repair: {
          kind: 'registerAtlasEndpoint' as const,
          projectId: ctx.atlasProjectId ?? '',
          serviceId: vendor.endpointServiceId,
          endpointId,
        },
      }),
    });
  } else if (registration.connectionStatus !== expected)
    items.push({
      resource: 'atlas-registration',
      id: endpointId,
      expected,
      actual: registration.connectionStatus + (registration.errorMessage ? ` (${registration.errorMessage})` : ''),
      repairable: false,
      fix: registration.connectionStatus.startsWith('PENDING') ? 'Atlas is accepting it: verify again later' : rebuild,
    });
  return items;
}

/** Every difference between the recorded result and what the account holds now. */
export function findDrift(recorded: ProvisionResult, observed: DriftObservations, ctx: DriftContext): DriftReport {
  const checked: string[] = [];
  if (recorded.service?.serviceName)
    checked.push(`endpoint service ${recorded.service.serviceId || recorded.service.serviceName}`);
  if (recorded.endpoint && ctx.external === 'own')
    checked.push(`endpoint ${recorded.endpoint.endpointId} (the other party's, as our service sees it)`);
  else if (recorded.endpoint && !ctx.external) checked.push(`endpoint ${recorded.endpoint.endpointId}`);
  for (const zone of recorded.dns?.zones ?? []) checked.push(`zone ${zone.name} (${zone.hostedZoneId})`);
  for (const record of recorded.dns?.records ?? []) checked.push(`record ${record.type} ${record.name}`);
  for (const rule of ctx.ingress) checked.push(`ingress ${describeIngress(rule)}`);
  if (recorded.vendor && observed.atlas) checked.push(`Atlas endpoint service ${recorded.vendor.endpointServiceId}`);
  return {
    checked,
    drift: [
      ...serviceDrift(recorded, observed, ctx),
      ...endpointDrift(recorded, observed, ctx),
      ...ingressDrift(observed, ctx),
      ...zoneDrift(recorded, observed, ctx),
      ...atlasDrift(recorded, observed, ctx),
    ],
  };
}

export function describeRepair(action: RepairAction): string {
  switch (action.kind) {
    case 'upsertRecord':
      return `put back ${action.record.type} ${action.record.name} in zone ${action.zoneName}`;
    case 'associateVpc':
      return `associated ${action.vpcId} with zone ${action.zoneName} (${action.hostedZoneId})`;
    case 'authorizeIngress':
      return `authorized ingress ${describeIngress(action.rule)}`;
    case 'registerAtlasEndpoint':
      return `registered ${action.endpointId} with Atlas endpoint service ${action.serviceId}`;
  }
}
