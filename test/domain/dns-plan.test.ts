// The DNS plan: which private zones, which records, in which order. What the workflow upserts and
// what `status` reads back, so every field of every record is asserted exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EndpointDnsFacts, planDns, RECORD_TTL, zoneNamesFor } from '../../src/core/domain/dns-plan.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import { PreconditionError } from '../../src/core/errors.ts';

const example = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));

/** A request from an example with some fields replaced, validated like any other request. */
function request(file: string, changes: { target?: Record<string, unknown>; dns?: Record<string, unknown> } = {}) {
  const raw = example(file);
  return requireProvisionRequest({
    ...raw,
    target: { ...(raw.target as object), ...changes.target },
    dns: { ...(raw.dns as object), ...changes.dns },
  });
}

/**
 * An https target at a public Pinecone host, behind a service named outright (service.vendor pinecone
 * insists on the private host): pinned here so the plan's cases do not follow the example.
 */
const PUBLIC_INDEX_HOST = 'my-index-abc1234.svc.aped-1234-a1b2.pinecone.io';
const publicIndex = (changes: { target?: Record<string, unknown>; dns?: Record<string, unknown> } = {}) =>
  requireProvisionRequest({
    ...example('atlas-replica-set.json'),
    requestId: 'my-index-public',
    target: { kind: 'https', host: PUBLIC_INDEX_HOST, port: 443, ...changes.target },
    dns: { records: 'A', ...changes.dns },
  });

const endpoint: EndpointDnsFacts = {
  privateIps: ['10.0.2.20', '10.0.1.15'],
  dnsName: 'vpce-0a1b2c3d4e5f67890-abcd1234.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
  hostedZoneId: 'Z7HUB22UULQXV',
};

describe('planDns', () => {
  it('gives the Atlas replica set one zone per owned name: A at the host, SRV and TXT at the srvHost', () => {
    expect(planDns(request('atlas-replica-set.json'), endpoint)).toStrictEqual([
      {
        zoneName: 'cluster0-pl-0-k45tj.mongodb.net',
        records: [
          {
            name: '_mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
            type: 'SRV',
            ttl: 60,
            values: [
              '0 0 1024 pl-0-us-east-1-k45tj.mongodb.net',
              '0 0 1025 pl-0-us-east-1-k45tj.mongodb.net',
              '0 0 1026 pl-0-us-east-1-k45tj.mongodb.net',
            ],
          },
          {
            name: 'cluster0-pl-0-k45tj.mongodb.net',
            type: 'TXT',
            ttl: 60,
            values: ['"authSource=admin&replicaSet=Cluster0-shard-0"'],
          },
        ],
      },
      {
        zoneName: 'pl-0-us-east-1-k45tj.mongodb.net',
        records: [{ name: 'pl-0-us-east-1-k45tj.mongodb.net', type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] }],
      },
    ]);
    expect(RECORD_TTL).toBe(60);
  });

  it('gives a serverless instance a TXT with authSource and loadBalanced only', () => {
    const plans = planDns(request('atlas-serverless.json'), endpoint);
    const records = plans.flatMap((p) => p.records);
    expect(records.find((r) => r.type === 'TXT')).toStrictEqual({
      name: 'serverless0-pl-0-k45tj.mongodb.net',
      type: 'TXT',
      ttl: 60,
      values: ['"authSource=admin&loadBalanced=true"'],
    });
    expect(records.find((r) => r.type === 'SRV')?.values).toEqual(['0 0 27017 pl-0-lb-us-east-1-k45tj.mongodb.net']);
  });

  it('gives an https or tcp target one zone with its A record', () => {
    expect(planDns(publicIndex(), endpoint)).toStrictEqual([
      {
        zoneName: 'my-index-abc1234.svc.aped-1234-a1b2.pinecone.io',
        records: [
          {
            name: 'my-index-abc1234.svc.aped-1234-a1b2.pinecone.io',
            type: 'A',
            ttl: 60,
            values: ['10.0.1.15', '10.0.2.20'],
          },
        ],
      },
    ]);
    expect(planDns(request('orders-nlb-tcp.json'), endpoint).map((p) => p.zoneName)).toEqual([
      'orders-db.internal.example.com',
    ]);
  });

  describe('the host record', () => {
    it('A: the private IPs in numeric order, each once', () => {
      const plan = planDns(publicIndex(), {
        ...endpoint,
        privateIps: ['10.0.10.5', '10.0.2.20', '10.0.2.20', '10.0.1.15', '9.255.255.255'],
      });
      // a string sort would put 10.0.10.5 before 10.0.2.20
      expect(plan[0]?.records[0]?.values).toEqual(['9.255.255.255', '10.0.1.15', '10.0.2.20', '10.0.10.5']);
    });

    it('A: the same plan whatever order the interfaces are listed in', () => {
      const a = planDns(request('atlas-replica-set.json'), { ...endpoint, privateIps: ['10.0.1.15', '10.0.2.20'] });
      const b = planDns(request('atlas-replica-set.json'), { ...endpoint, privateIps: ['10.0.2.20', '10.0.1.15'] });
      expect(a).toStrictEqual(b);
    });

    it('A: refuses to write a record with no address or a non-IPv4 one', () => {
      expect(() => planDns(publicIndex(), { ...endpoint, privateIps: [] })).toThrow(PreconditionError);
      expect(() => planDns(publicIndex(), { ...endpoint, privateIps: ['fd00::1'] })).toThrow(/not an IPv4 address/);
    });

    it('ALIAS: an A alias to the endpoint, without TTL or values, not evaluating health', () => {
      const plan = planDns(publicIndex({ dns: { records: 'ALIAS' } }), {
        ...endpoint,
        dnsName: `${endpoint.dnsName.toUpperCase()}.`,
      });
      expect(plan[0]?.records).toStrictEqual([
        {
          name: 'my-index-abc1234.svc.aped-1234-a1b2.pinecone.io',
          type: 'A',
          values: [],
          aliasTarget: { hostedZoneId: 'Z7HUB22UULQXV', dnsName: endpoint.dnsName, evaluateTargetHealth: false },
        },
      ]);
    });

    it('CNAME: the endpoint DNS name, below the zone apex', () => {
      const plan = planDns(
        request('orders-nlb-tcp.json', { dns: { records: 'CNAME', zoneName: 'internal.example.com' } }),
        endpoint,
      );
      expect(plan).toStrictEqual([
        {
          zoneName: 'internal.example.com',
          records: [{ name: 'orders-db.internal.example.com', type: 'CNAME', ttl: 60, values: [endpoint.dnsName] }],
        },
      ]);
    });

    it('ALIAS and CNAME need the endpoint DNS name', () => {
      const req = publicIndex({ dns: { records: 'ALIAS' } });
      expect(() => planDns(req, { ...endpoint, dnsName: '' })).toThrow(PreconditionError);
    });
  });

  describe('the MongoDB seedlist', () => {
    const recordsOf = (target: Record<string, unknown>) =>
      planDns(request('atlas-replica-set.json', { target }), endpoint).flatMap((p) => p.records);

    it('lists SRV targets in port order whatever order the request gives', () => {
      const srv = recordsOf({ ports: [1026, 1024, 1025] }).find((r) => r.type === 'SRV');
      expect(srv?.values.map((v) => v.split(' ')[2])).toEqual(['1024', '1025', '1026']);
    });

    it('writes TXT options in the order authSource, replicaSet, loadBalanced', () => {
      // key order in the request must not matter
      const txt = recordsOf({ replicaSet: 'rs0', authSource: 'admin' }).find((r) => r.type === 'TXT');
      expect(txt?.values).toEqual(['"authSource=admin&replicaSet=rs0"']);
      expect(recordsOf({ authSource: undefined }).find((r) => r.type === 'TXT')?.values).toEqual([
        '"replicaSet=Cluster0-shard-0"',
      ]);
    });

    it('writes no TXT when no option is set, and loadBalanced false is no option', () => {
      const none = recordsOf({ replicaSet: undefined, authSource: undefined });
      expect(none.map((r) => r.type)).toEqual(['SRV', 'A']);
      const falseLb = recordsOf({ replicaSet: undefined, authSource: undefined, loadBalanced: false });
      expect(falseLb.some((r) => r.type === 'TXT')).toBe(false);
    });

    it('writes no SRV or TXT without srvHost', () => {
      const plans = planDns(request('atlas-replica-set.json', { target: { srvHost: undefined } }), endpoint);
      expect(plans.map((p) => p.zoneName)).toEqual(['pl-0-us-east-1-k45tj.mongodb.net']);
      expect(plans.flatMap((p) => p.records).map((r) => r.type)).toEqual(['A']);
    });

    it('puts A, SRV and TXT in one zone when srvHost is the host', () => {
      const name = 'cluster0.db.example.com';
      const plans = planDns(request('atlas-replica-set.json', { target: { host: name, srvHost: name } }), endpoint);
      expect(plans.map((p) => p.zoneName)).toEqual([name]);
      expect(plans[0]?.records.map((r) => `${r.type} ${r.name}`)).toEqual([
        `SRV _mongodb._tcp.${name}`,
        `A ${name}`,
        `TXT ${name}`,
      ]);
    });

    it('puts each record in the most specific zone when one owned name is under the other', () => {
      // srvHost db.example.com and host pl-0.db.example.com: Route 53 answers pl-0 from its own zone
      const plans = planDns(
        request('atlas-replica-set.json', { target: { host: 'pl-0.db.example.com', srvHost: 'db.example.com' } }),
        endpoint,
      );
      expect(plans.map((p) => [p.zoneName, p.records.map((r) => `${r.type} ${r.name}`)])).toEqual([
        ['db.example.com', ['SRV _mongodb._tcp.db.example.com', 'TXT db.example.com']],
        ['pl-0.db.example.com', ['A pl-0.db.example.com']],
      ]);
    });
  });

  describe('dns.zoneName', () => {
    it('puts every record into that one zone, sorted by name then type', () => {
      const req = request('atlas-replica-set.json', {
        target: { host: 'pl-0.db.example.com', srvHost: 'cluster0.db.example.com' },
        dns: { zoneName: 'db.example.com' },
      });
      const plans = planDns(req, endpoint);
      expect(plans.map((p) => p.zoneName)).toEqual(['db.example.com']);
      expect(plans[0]?.records.map((r) => `${r.name} ${r.type}`)).toEqual([
        '_mongodb._tcp.cluster0.db.example.com SRV',
        'cluster0.db.example.com TXT',
        'pl-0.db.example.com A',
      ]);
    });
  });

  describe("a Pinecone private host: Pinecone's one private zone per region with a wildcard", () => {
    const PRIVATE_HOST = 'docs-example-jl7boae.svc.private.aped-4627-b74a.pinecone.io';
    const ZONE = 'private.aped-4627-b74a.pinecone.io';
    const privateIndex = (dns: Record<string, unknown> = {}) =>
      request('pinecone-index.json', { target: { kind: 'https', host: PRIVATE_HOST, port: 443 }, dns });

    it('ALIAS: one zone private.<env>.pinecone.io, the wildcard an alias to the endpoint', () => {
      expect(planDns(privateIndex({ records: 'ALIAS' }), endpoint)).toStrictEqual([
        {
          zoneName: ZONE,
          records: [
            {
              name: `*.${ZONE}`,
              type: 'A',
              values: [],
              aliasTarget: { hostedZoneId: 'Z7HUB22UULQXV', dnsName: endpoint.dnsName, evaluateTargetHealth: false },
            },
          ],
        },
      ]);
    });

    it('ALIAS when the request leaves dns.records out, as Pinecone documents', () => {
      const req = privateIndex();
      // a request whose dns names no record type (built without the schema, which may default it)
      const unspecified = { ...req, dns: {} } as ProvisionRequest;
      expect(planDns(unspecified, endpoint)).toStrictEqual(planDns(privateIndex({ records: 'ALIAS' }), endpoint));
      // other targets keep A records when the request says nothing
      const other = { ...publicIndex(), dns: {} } as ProvisionRequest;
      expect(planDns(other, endpoint)[0]?.records[0]?.type).toBe('A');
    });

    it('A: the wildcard holds the interface addresses', () => {
      expect(planDns(privateIndex({ records: 'A' }), endpoint)).toStrictEqual([
        { zoneName: ZONE, records: [{ name: `*.${ZONE}`, type: 'A', ttl: 60, values: ['10.0.1.15', '10.0.2.20'] }] },
      ]);
    });

    it('CNAME: allowed, the wildcard being below the apex', () => {
      const req: ProvisionRequest = { ...privateIndex(), dns: { records: 'CNAME' } };
      expect(planDns(req, endpoint)).toStrictEqual([
        { zoneName: ZONE, records: [{ name: `*.${ZONE}`, type: 'CNAME', ttl: 60, values: [endpoint.dnsName] }] },
      ]);
    });

    it('the same zone and wildcard for every index of the environment, however the host is spelt', () => {
      const other = request('pinecone-index.json', {
        target: { kind: 'https', host: 'Other-Index-0a1b2c3.SVC.private.aped-4627-b74a.pinecone.io.', port: 443 },
        dns: { records: 'A' },
      });
      expect(planDns(other, endpoint)).toStrictEqual(planDns(privateIndex({ records: 'A' }), endpoint));
    });

    it('dns.zoneName above the private zone holds the wildcard; one too deep for it holds the host', () => {
      const above = planDns(privateIndex({ records: 'A', zoneName: 'aped-4627-b74a.pinecone.io' }), endpoint);
      expect(above.map((p) => [p.zoneName, p.records.map((r) => r.name)])).toEqual([
        ['aped-4627-b74a.pinecone.io', [`*.${ZONE}`]],
      ]);
      const deep = planDns(privateIndex({ records: 'A', zoneName: `svc.${ZONE}` }), endpoint);
      expect(deep.map((p) => [p.zoneName, p.records.map((r) => r.name)])).toEqual([[`svc.${ZONE}`, [PRIVATE_HOST]]]);
    });

    it('a public Pinecone host keeps a zone named after it, as any other host', () => {
      expect(planDns(publicIndex(), endpoint).map((p) => [p.zoneName, p.records[0]?.name])).toEqual([
        [PUBLIC_INDEX_HOST, PUBLIC_INDEX_HOST],
      ]);
    });
  });

  it('writes names in lowercase without a trailing dot, however the request spelt them', () => {
    const req = request('atlas-replica-set.json', {
      target: { host: 'PL-0-US-East-1-K45TJ.MongoDB.net.', srvHost: 'Cluster0-PL-0-k45tj.mongodb.NET.' },
    });
    const names = planDns(req, endpoint).flatMap((p) => [p.zoneName, ...p.records.map((r) => r.name)]);
    const srvTargets = planDns(req, endpoint)
      .flatMap((p) => p.records)
      .filter((r) => r.type === 'SRV')
      .flatMap((r) => r.values.map((v) => v.split(' ')[3] ?? ''));
    for (const name of [...names, ...srvTargets]) expect(name).toMatch(/^[a-z0-9_.-]+[a-z0-9]$/);
  });

  it('lowercases and strips names even on a request built without the schema', () => {
    const req = publicIndex();
    const raw: ProvisionRequest = { ...req, target: { kind: 'https', host: 'My-Index.Example.COM.', port: 443 } };
    expect(planDns(raw, endpoint).map((p) => [p.zoneName, p.records[0]?.name])).toEqual([
      ['my-index.example.com', 'my-index.example.com'],
    ]);
  });
});

describe('zoneNamesFor', () => {
  const cases: [string, ProvisionRequest][] = [
    ['atlas replica set', request('atlas-replica-set.json')],
    ['atlas serverless', request('atlas-serverless.json')],
    ['pinecone', publicIndex()],
    ['orders', request('orders-nlb-tcp.json')],
    [
      'srvHost = host',
      request('atlas-replica-set.json', { target: { host: 'c.db.example.com', srvHost: 'c.db.example.com' } }),
    ],
    ['zoneName', request('orders-nlb-tcp.json', { dns: { zoneName: 'internal.example.com' } })],
    [
      'pinecone private host',
      request('pinecone-index.json', {
        target: { kind: 'https', host: 'idx-0a1b2c3.svc.private.aped-1234-a1b2.pinecone.io', port: 443 },
      }),
    ],
  ];

  it.each(cases)('%s: the zones planDns uses, known before the endpoint exists', (_, req) => {
    expect(zoneNamesFor(req)).toEqual(planDns(req, endpoint).map((p) => p.zoneName));
  });

  it('lists zones in name order, each once', () => {
    expect(zoneNamesFor(request('atlas-replica-set.json'))).toEqual([
      'cluster0-pl-0-k45tj.mongodb.net',
      'pl-0-us-east-1-k45tj.mongodb.net',
    ]);
    expect(zoneNamesFor(request('orders-nlb-tcp.json', { dns: { zoneName: 'internal.example.com' } }))).toEqual([
      'internal.example.com',
    ]);
  });

  it("gives a Pinecone private host its environment's private zone", () => {
    const req = request('pinecone-index.json', {
      target: { kind: 'https', host: 'idx-0a1b2c3.svc.private.aped-1234-a1b2.pinecone.io', port: 443 },
    });
    expect(zoneNamesFor(req)).toEqual(['private.aped-1234-a1b2.pinecone.io']);
  });

  it('gives a request without a target (Atlas publishes its names) no zone and no plan', () => {
    const { target: _, ...atlas } = publicIndex();
    const req = atlas as ProvisionRequest;
    expect(zoneNamesFor(req)).toEqual([]);
    expect(planDns(req, endpoint)).toEqual([]);
  });
});
