// planProvision: what provisioning would do, decided from what read-only calls observed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  atlasServiceInRegion,
  type PlanItem,
  type PlanObservations,
  plannedIngress,
  plannedRecords,
  planProvision,
} from '../../src/core/domain/plan.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { AtlasEndpointService, EndpointInfo, EndpointServiceInfo } from '../../src/core/ports.ts';

const example = (name: string, patch: Record<string, unknown> = {}): ProvisionRequest =>
  requireProvisionRequest({
    ...JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')),
    ...patch,
  });

const replicaSet = example('atlas-replica-set.json');
const SERVICE: EndpointServiceInfo = {
  serviceId: 'vpce-svc-0123456789abcdef0',
  serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
  state: 'Available',
  acceptanceRequired: false,
  availabilityZones: ['us-east-1a'],
  tags: {},
};
const ENDPOINT: EndpointInfo = {
  endpointId: 'vpce-0aaaaaaaaaaaaaaaa',
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  serviceName: SERVICE.serviceName,
  state: 'available',
  subnetIds: [],
  networkInterfaceIds: ['eni-1', 'eni-2'],
  dnsEntries: [
    {
      dnsName: 'vpce-0aaaaaaaaaaaaaaaa-x.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
      hostedZoneId: 'Z7HUB22UULQXV',
    },
  ],
  tags: {},
};
const fresh: PlanObservations = {
  refusals: [],
  service: { kind: 'named', serviceName: SERVICE.serviceName, found: SERVICE },
  ingressRules: [],
  zones: [],
};
const SRV = {
  name: '_mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
  type: 'SRV',
  ttl: 60,
  values: [1024, 1025, 1026].map((p) => `0 0 ${p} pl-0-us-east-1-k45tj.mongodb.net`),
};
const summary = (items: PlanItem[]) => items.map((i) => `${i.action} ${i.resource} ${i.name}`);

describe('planProvision', () => {
  it('a fresh request: the named service reused, everything else created, zones and records by name', () => {
    const plan = planProvision(replicaSet, fresh);
    expect(plan.wouldSucceed).toBe(true);
    expect(summary(plan.items)).toEqual([
      `reuse endpoint-service ${SERVICE.serviceName}`,
      `create endpoint interface endpoint to ${SERVICE.serviceName}`,
      'create ingress-rule sg-0fedcba9876543210 from sg-0123456789abcdef0 tcp 1024-1026',
      'create hosted-zone cluster0-pl-0-k45tj.mongodb.net',
      'create record SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
      'create record TXT cluster0-pl-0-k45tj.mongodb.net',
      'create hosted-zone pl-0-us-east-1-k45tj.mongodb.net',
      'create record A pl-0-us-east-1-k45tj.mongodb.net',
    ]);
    // The SRV record does not depend on the endpoint: its data is planned already; the A record's is not.
    expect(plan.items[4]?.why).toContain('0 0 1024 pl-0-us-east-1-k45tj.mongodb.net');
    expect(plan.items[7]?.why).toMatch(/once it exists/);
  });

  it('everything there: all reused, the A record compared with the endpoint’s addresses', () => {
    const plan = planProvision(replicaSet, {
      ...fresh,
      existing: { status: 'READY' },
      endpoint: ENDPOINT,
      endpointIps: ['10.0.2.20', '10.0.1.15'],
      ingressRules: [
        {
          ruleId: 'sgr-1',
          groupId: 'sg-0fedcba9876543210',
          sourceGroupId: 'sg-0123456789abcdef0',
          fromPort: 1024,
          toPort: 1026,
          tags: {},
        },
      ],
      zones: [
        {
          name: 'cluster0-pl-0-k45tj.mongodb.net',
          zone: { hostedZoneId: 'Z1', createdByRequest: true },
          records: [
            SRV,
            {
              name: 'cluster0-pl-0-k45tj.mongodb.net',
              type: 'TXT',
              ttl: 60,
              values: ['"authSource=admin&replicaSet=Cluster0-shard-0"'],
            },
          ],
        },
        {
          name: 'pl-0-us-east-1-k45tj.mongodb.net',
          zone: { hostedZoneId: 'Z2', createdByRequest: true },
          records: [
            { name: 'pl-0-us-east-1-k45tj.mongodb.net', type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] },
          ],
        },
      ],
    });
    expect(plan.wouldSucceed).toBe(true);
    expect(plan.items.map((i) => i.action)).toEqual(Array(9).fill('reuse'));
    expect(plan.items.find((i) => i.resource === 'endpoint')?.id).toBe(ENDPOINT.endpointId);
    expect(plan.items[0]).toMatchObject({
      resource: 'request',
      why: expect.stringMatching(/returns that result and calls nothing/),
    });
    const failedBefore = planProvision(replicaSet, { ...fresh, existing: { status: 'FAILED' } });
    expect(failedBefore.items[0]?.why).toMatch(/runs it again \(a new attempt\)/);
  });

  it('a record of the request’s own zone holding other data is written again (update)', () => {
    const plan = planProvision(replicaSet, {
      ...fresh,
      endpoint: ENDPOINT,
      endpointIps: ['10.0.1.15'],
      zones: [
        {
          name: 'pl-0-us-east-1-k45tj.mongodb.net',
          zone: { hostedZoneId: 'Z2', createdByRequest: true },
          records: [{ name: 'pl-0-us-east-1-k45tj.mongodb.net', type: 'A', ttl: 60, values: ['10.9.9.9'] }],
        },
      ],
    });
    expect(plan.items.find((i) => i.name === 'A pl-0-us-east-1-k45tj.mongodb.net')).toMatchObject({ action: 'update' });
    expect(plan.wouldSucceed).toBe(true);
  });

  it('someone else’s zone: the same data is reused, other data refused (RecordConflict), an endpoint-made record refused', () => {
    const theirs = { hostedZoneId: 'ZX', createdByRequest: false };
    const plan = planProvision(replicaSet, {
      ...fresh,
      zones: [
        {
          name: 'cluster0-pl-0-k45tj.mongodb.net',
          zone: theirs,
          records: [SRV, { name: 'cluster0-pl-0-k45tj.mongodb.net', type: 'TXT', values: ['"replicaSet=other"'] }],
        },
        {
          name: 'pl-0-us-east-1-k45tj.mongodb.net',
          zone: theirs,
          records: [{ name: 'pl-0-us-east-1-k45tj.mongodb.net', type: 'A', values: ['10.0.1.15'] }],
        },
      ],
    });
    const byName = (name: string) => plan.items.find((i) => i.name === name);
    expect(byName('cluster0-pl-0-k45tj.mongodb.net')).toMatchObject({
      action: 'reuse',
      resource: 'hosted-zone',
      id: 'ZX',
    });
    expect(byName(`SRV ${SRV.name}`)?.action).toBe('reuse');
    expect(byName('TXT cluster0-pl-0-k45tj.mongodb.net')).toMatchObject({ action: 'refuse', code: 'RecordConflict' });
    // A new endpoint gets new addresses: whatever the A record holds now is someone else's.
    expect(byName('A pl-0-us-east-1-k45tj.mongodb.net')).toMatchObject({ action: 'refuse', code: 'RecordConflict' });
    expect(plan.wouldSucceed).toBe(false);
  });

  it('refusals observed (an allowlist, an unknown service) are items, and the plan would fail', () => {
    const plan = planProvision(replicaSet, {
      ...fresh,
      service: { kind: 'named', serviceName: SERVICE.serviceName },
      refusals: [
        { resource: 'request', name: 'consumer.vpcId', code: 'NotAllowed', message: 'vpc-… is not an allowed VPC' },
        { resource: 'endpoint-service', name: SERVICE.serviceName, code: 'InvalidServiceName', message: 'unknown' },
      ],
    });
    expect(plan.wouldSucceed).toBe(false);
    expect(plan.items.slice(0, 2).map((i) => [i.action, i.code])).toEqual([
      ['refuse', 'NotAllowed'],
      ['refuse', 'InvalidServiceName'],
    ]);
  });

  it('a vendor that must accept: the endpoint is created and its acceptance waited for', () => {
    const plan = planProvision(replicaSet, {
      ...fresh,
      service: { kind: 'vendor', serviceName: SERVICE.serviceName, found: { ...SERVICE, acceptanceRequired: true } },
    });
    expect(plan.items.filter((i) => i.resource === 'endpoint').map((i) => i.action)).toEqual(['create', 'wait']);
    expect(plan.wouldSucceed).toBe(true);
  });

  it('our own NLB: the service and principals created, or found by tag and reused', () => {
    const own = example('orders-nlb-tcp.json');
    const created = planProvision(own, { ...fresh, service: { kind: 'own' } });
    expect(created.items[0]).toMatchObject({ resource: 'endpoint-service', action: 'create' });
    const found = planProvision(own, { ...fresh, service: { kind: 'own', found: SERVICE } });
    expect(found.items[0]).toMatchObject({ resource: 'endpoint-service', action: 'reuse', id: SERVICE.serviceId });
  });

  it('a hand-off: the other party’s endpoint is waited for, and no DNS is written here', () => {
    const handOff = example('partner-hand-off-nlb.json');
    const plan = planProvision(handOff, { ...fresh, service: { kind: 'own' } });
    expect(plan.items.find((i) => i.resource === 'endpoint')).toMatchObject({ action: 'wait' });
    expect(plan.items.filter((i) => i.resource === 'hosted-zone' || i.resource === 'record')).toEqual([]);
    expect(plan.items.find((i) => i.resource === 'allowed-principals')?.name).toContain('444455556666');
  });

  describe('Atlas', () => {
    const atlas = example('atlas-cluster.json');
    const service = (status: AtlasEndpointService['status']): AtlasEndpointService => ({
      id: 'a'.repeat(24),
      regionName: 'US_EAST_1',
      status,
      endpointServiceName: SERVICE.serviceName,
      interfaceEndpoints: [],
    });
    const atlasObserved = (services: AtlasEndpointService[]): PlanObservations => ({
      ...fresh,
      service: {
        kind: 'atlas',
        projectId: '6123456789abcdef01234567',
        clusterName: 'Cluster0',
        services,
        cluster: { name: 'Cluster0', stateName: 'IDLE', privateEndpoint: [] },
      },
    });

    it('no service for the region: Atlas creates it; the endpoint, 1024-65535 ingress and registration follow', () => {
      const plan = planProvision(atlas, atlasObserved([]));
      expect(summary(plan.items).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
        'create atlas-endpoint-service',
        'reuse atlas-cluster',
        'create endpoint',
        'create ingress-rule',
        'create atlas-registration',
      ]);
      expect(plan.items[3]?.name).toMatch(/tcp 1024-65535$/);
    });

    it('the project’s service is reused; one that FAILED refuses the plan; one DELETING is not counted', () => {
      expect(planProvision(atlas, atlasObserved([service('AVAILABLE')])).items[0]).toMatchObject({
        action: 'reuse',
        id: 'a'.repeat(24),
      });
      const failed = planProvision(atlas, atlasObserved([service('FAILED')]));
      expect(failed.items[0]).toMatchObject({ action: 'refuse', code: 'AtlasEndpointServiceFailed' });
      expect(failed.wouldSucceed).toBe(false);
      expect(atlasServiceInRegion([service('DELETING')], 'us-east-1')).toBeUndefined();
      expect(atlasServiceInRegion([service('AVAILABLE')], 'eu-west-1')).toBeUndefined();
    });

    it('an endpoint registered already is reused at Atlas', () => {
      const plan = planProvision(atlas, {
        ...atlasObserved([service('AVAILABLE')]),
        endpoint: ENDPOINT,
        atlasRegistration: {
          interfaceEndpointId: ENDPOINT.endpointId,
          connectionStatus: 'AVAILABLE',
          deleteRequested: false,
        },
      });
      expect(plan.items.find((i) => i.resource === 'atlas-registration')).toMatchObject({
        action: 'reuse',
        id: ENDPOINT.endpointId,
      });
    });
  });
});

describe('plannedIngress and plannedRecords', () => {
  it('one rule per endpoint group, source group and contiguous range', () => {
    const request = example('atlas-replica-set.json', {
      target: { kind: 'mongodb', host: 'db.example.com', ports: [27017, 27018, 27020] },
    });
    expect(plannedIngress(request).map((r) => `${r.fromPort}-${r.toPort}`)).toEqual(['27017-27018', '27020-27020']);
  });

  it('records whose data depends on the endpoint are told apart from those that do not', () => {
    const planned = plannedRecords(replicaSet, undefined);
    const records = planned.zones.flatMap((z) => z.records);
    expect(records.map((r) => [r.type, planned.dataKnown(r)])).toEqual([
      ['SRV', true],
      ['TXT', true],
      ['A', false],
    ]);
  });
});
