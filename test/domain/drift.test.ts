// findDrift: the recorded result against what the account holds now, and what --repair may put back.
import { describe, expect, it } from 'vitest';
import {
  type DriftContext,
  type DriftObservations,
  describeRepair,
  findDrift,
  zoneOfRecord,
} from '../../src/core/domain/drift.ts';
import { callerReference } from '../../src/core/domain/ids.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import type { EndpointInfo, RecordSet, ZoneDetail } from '../../src/core/ports.ts';

const VPC = 'vpc-0a1b2c3d4e5f67890';
const HOST = 'pl-0-us-east-1-k45tj.mongodb.net';
const SRV_HOST = 'cluster0-pl-0-k45tj.mongodb.net';
const A: RecordSet = { name: HOST, type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] };
const SRV: RecordSet = { name: `_mongodb._tcp.${SRV_HOST}`, type: 'SRV', ttl: 60, values: [`0 0 1024 ${HOST}`] };
const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const DNS_NAME = 'vpce-0aaaaaaaaaaaaaaaa-x.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com';

const recorded: ProvisionResult = {
  requestId: 'r1',
  status: 'READY',
  service: { serviceName: SERVICE_NAME, serviceId: 'vpce-svc-0123456789abcdef0', created: false },
  endpoint: {
    endpointId: 'vpce-0aaaaaaaaaaaaaaaa',
    state: 'available',
    dnsName: DNS_NAME,
    privateIpAddresses: ['10.0.1.15', '10.0.2.20'],
  },
  dns: {
    zones: [
      { hostedZoneId: 'Z1', name: SRV_HOST },
      { hostedZoneId: 'Z2', name: HOST },
    ],
    records: [SRV, A],
  },
};
const ENDPOINT: EndpointInfo = {
  endpointId: 'vpce-0aaaaaaaaaaaaaaaa',
  vpcId: VPC,
  serviceName: SERVICE_NAME,
  state: 'available',
  subnetIds: [],
  networkInterfaceIds: ['eni-1', 'eni-2'],
  dnsEntries: [{ dnsName: DNS_NAME, hostedZoneId: 'Z7HUB22UULQXV' }],
  tags: {},
};
const zone = (id: string, name: string, ours: boolean, vpcs = [VPC]): ZoneDetail => ({
  hostedZoneId: id,
  name,
  privateZone: true,
  callerReference: ours ? callerReference('r1', name, 1) : 'someone-else-0001',
  vpcs: vpcs.map((vpcId) => ({ vpcId, region: 'us-east-1' })),
});
const RULE = { groupId: 'sg-0fedcba9876543210', sourceGroupId: 'sg-0123456789abcdef0', fromPort: 1024, toPort: 1026 };
const ctx: DriftContext = { requestId: 'r1', region: 'us-east-1', vpcId: VPC, ingress: [RULE] };
const asIs = (ours = true): DriftObservations => ({
  service: {
    serviceId: 'vpce-svc-0123456789abcdef0',
    serviceName: SERVICE_NAME,
    state: 'Available',
    acceptanceRequired: false,
    availabilityZones: [],
    tags: {},
  },
  endpoint: ENDPOINT,
  endpointIps: ['10.0.2.20', '10.0.1.15'],
  zones: [
    { hostedZoneId: 'Z1', name: SRV_HOST, detail: zone('Z1', SRV_HOST, ours), records: [SRV] },
    { hostedZoneId: 'Z2', name: HOST, detail: zone('Z2', HOST, ours), records: [A] },
  ],
  ingressRules: [{ ruleId: 'sgr-1', ...RULE, tags: {} }],
});

describe('findDrift', () => {
  it('nothing changed: no drift, and what was compared is listed', () => {
    const report = findDrift(recorded, asIs(), ctx);
    expect(report.drift).toEqual([]);
    expect(report.checked).toEqual([
      'endpoint service vpce-svc-0123456789abcdef0',
      'endpoint vpce-0aaaaaaaaaaaaaaaa',
      `zone ${SRV_HOST} (Z1)`,
      `zone ${HOST} (Z2)`,
      `record SRV ${SRV.name}`,
      `record A ${HOST}`,
      'ingress sg-0fedcba9876543210 from sg-0123456789abcdef0 tcp 1024-1026',
    ]);
  });

  it('a record deleted: repairable, by an UPSERT of exactly what was recorded', () => {
    const observed = asIs();
    observed.zones[1] = { ...(observed.zones[1] as DriftObservations['zones'][number]), records: [] };
    const [item, ...rest] = findDrift(recorded, observed, ctx).drift;
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ resource: 'record', id: `A ${HOST}`, actual: 'missing', repairable: true });
    expect(item?.repair).toEqual({ kind: 'upsertRecord', hostedZoneId: 'Z2', zoneName: HOST, record: A });
    expect(describeRepair(item?.repair ?? { kind: 'upsertRecord', hostedZoneId: '', zoneName: '', record: A })).toBe(
      `put back A ${HOST} in zone ${HOST}`,
    );
  });

  it('a record changed: put back in the request’s own zone, never over data in someone else’s', () => {
    const changed = (ours: boolean) => {
      const observed = asIs(ours);
      observed.zones[1] = {
        ...(observed.zones[1] as DriftObservations['zones'][number]),
        records: [{ ...A, values: ['10.9.9.9'] }],
      };
      return findDrift(recorded, observed, ctx).drift;
    };
    expect(changed(true)).toMatchObject([
      { resource: 'record', actual: '10.9.9.9', repairable: true, repair: { kind: 'upsertRecord' } },
    ]);
    const [theirs] = changed(false);
    expect(theirs).toMatchObject({ resource: 'record', repairable: false });
    expect(theirs?.repair).toBeUndefined();
    expect(theirs?.fix).toMatch(/not overwritten/);
  });

  it('a TTL alone is no drift (the data is the same)', () => {
    const observed = asIs();
    observed.zones[1] = { ...(observed.zones[1] as DriftObservations['zones'][number]), records: [{ ...A, ttl: 300 }] };
    expect(findDrift(recorded, observed, ctx).drift).toEqual([]);
  });

  it('a zone disassociated from the VPC: re-associated when the request made it, else left to its owner', () => {
    const observed = asIs();
    observed.zones[0] = {
      ...(observed.zones[0] as DriftObservations['zones'][number]),
      detail: zone('Z1', SRV_HOST, true, []),
    };
    expect(findDrift(recorded, observed, ctx).drift).toMatchObject([
      {
        resource: 'zone-association',
        actual: 'associated with no VPC',
        repairable: true,
        repair: { kind: 'associateVpc', hostedZoneId: 'Z1', vpcId: VPC, region: 'us-east-1' },
      },
    ]);
    const reused = asIs(false);
    reused.zones[0] = {
      ...(reused.zones[0] as DriftObservations['zones'][number]),
      detail: zone('Z1', SRV_HOST, false, ['vpc-0ffffffffffffffff']),
    };
    expect(findDrift(recorded, reused, ctx).drift).toMatchObject([{ resource: 'zone-association', repairable: false }]);
  });

  it('a zone gone is one drift, not one per record, and not repairable in place', () => {
    const observed = asIs();
    observed.zones[1] = { hostedZoneId: 'Z2', name: HOST, records: [] };
    const drift = findDrift(recorded, observed, ctx).drift;
    expect(drift).toMatchObject([{ resource: 'hosted-zone', id: `${HOST} (Z2)`, repairable: false }]);
    expect(drift[0]?.fix).toContain('privatelink teardown --request-id r1');
  });

  it('the endpoint deleted, or in another state, or with other addresses: not repairable, teardown then provision', () => {
    const gone = { ...asIs() };
    delete gone.endpoint;
    expect(findDrift(recorded, { ...gone, endpointIps: [] }, ctx).drift).toMatchObject([
      { resource: 'endpoint', id: 'vpce-0aaaaaaaaaaaaaaaa', actual: 'gone', repairable: false },
    ]);
    const rejected = findDrift(recorded, { ...asIs(), endpoint: { ...ENDPOINT, state: 'rejected' } }, ctx).drift;
    expect(rejected).toMatchObject([{ resource: 'endpoint', expected: 'available', actual: 'rejected' }]);
    const moved = findDrift(recorded, { ...asIs(), endpointIps: ['10.0.1.99', '10.0.2.20'] }, ctx).drift;
    expect(moved).toMatchObject([
      { resource: 'endpoint', actual: 'addresses 10.0.1.99, 10.0.2.20', repairable: false },
    ]);
    expect(moved[0]?.fix).toMatch(/teardown .* then .*provision/);
  });

  it('the service gone; an ingress rule revoked (repairable, it is the request’s)', () => {
    const observed = asIs();
    delete observed.service;
    observed.ingressRules = [];
    expect(findDrift(recorded, observed, ctx).drift).toMatchObject([
      { resource: 'endpoint-service', actual: 'gone', repairable: false },
      {
        resource: 'ingress-rule',
        actual: 'missing',
        repairable: true,
        repair: { kind: 'authorizeIngress', rule: RULE },
      },
    ]);
  });

  it('a hand-off to our service: the other party’s endpoint as our service’s connections show it', () => {
    const handOff: ProvisionResult = { ...recorded, dns: { zones: [], records: [] } };
    const own = { ...ctx, ingress: [], external: 'own' as const };
    const seen = { ...asIs(), zones: [] };
    delete seen.endpoint;
    const connection = { endpointId: 'vpce-0aaaaaaaaaaaaaaaa', state: 'available', endpointOwner: '444455556666' };
    const report = findDrift(handOff, { ...seen, connection }, own);
    expect(report.drift).toEqual([]);
    expect(report.checked).toContain("endpoint vpce-0aaaaaaaaaaaaaaaa (the other party's, as our service sees it)");
    expect(findDrift(handOff, { ...seen, connection: { ...connection, state: 'rejected' } }, own).drift).toMatchObject([
      { resource: 'endpoint', actual: 'rejected', repairable: false },
    ]);
    expect(findDrift(handOff, seen, own).drift).toMatchObject([{ resource: 'endpoint', actual: 'gone' }]);
    // To a vendor's (Atlas's) service, this account sees nothing of it: Atlas's view stands for it.
    expect(findDrift(handOff, seen, { ...own, external: 'vendor' }).drift).toEqual([]);
  });

  describe('Atlas', () => {
    const atlasResult: ProvisionResult = {
      ...recorded,
      vendor: { name: 'atlas', endpointServiceId: 'a'.repeat(24), status: 'AVAILABLE', connectionStatus: 'AVAILABLE' },
      dns: { zones: [], records: [] },
    };
    const atlasCtx = { ...ctx, ingress: [], atlasProjectId: '6123456789abcdef01234567' };
    const service = {
      id: 'a'.repeat(24),
      regionName: 'US_EAST_1',
      status: 'AVAILABLE' as const,
      interfaceEndpoints: [],
    };
    const registration = {
      interfaceEndpointId: ENDPOINT.endpointId,
      connectionStatus: 'AVAILABLE' as const,
      deleteRequested: false,
    };

    it('registered and AVAILABLE: no drift', () => {
      expect(findDrift(atlasResult, { ...asIs(), atlas: { service, registration } }, atlasCtx).drift).toEqual([]);
    });

    it('no longer registered: registered again (repairable) while the endpoint exists', () => {
      const [item] = findDrift(atlasResult, { ...asIs(), atlas: { service } }, atlasCtx).drift;
      expect(item).toMatchObject({
        resource: 'atlas-registration',
        actual: 'not registered',
        repairable: true,
        repair: { kind: 'registerAtlasEndpoint', projectId: '6123456789abcdef01234567', serviceId: 'a'.repeat(24) },
      });
    });

    it('REJECTED at Atlas, or Atlas’s service gone: not repairable in place', () => {
      const rejected = findDrift(
        atlasResult,
        { ...asIs(), atlas: { service, registration: { ...registration, connectionStatus: 'REJECTED' } } },
        atlasCtx,
      ).drift;
      expect(rejected).toMatchObject([{ resource: 'atlas-registration', actual: 'REJECTED', repairable: false }]);
      expect(findDrift(atlasResult, { ...asIs(), atlas: {} }, atlasCtx).drift).toMatchObject([
        { resource: 'atlas-endpoint-service', actual: 'gone', repairable: false },
      ]);
    });
  });
});

describe('zoneOfRecord', () => {
  it('the deepest recorded zone holding the name', () => {
    const zones = [{ name: 'example.com' }, { name: 'db.example.com' }];
    expect(zoneOfRecord('a.db.example.com', zones)?.name).toBe('db.example.com');
    expect(zoneOfRecord('example.com.', zones)?.name).toBe('example.com');
    expect(zoneOfRecord('other.org', zones)).toBeUndefined();
  });
});
