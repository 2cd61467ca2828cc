// The real statemachines/provision.asl.json on the sandbox, through the CLI a user runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_ID_TAG } from '../../src/core/domain/request.ts';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

function ipInSubnets(ip: string): boolean {
  return /^10\.0\.[123]\.\d{1,3}$/.test(ip);
}

describe('provisioning each example', () => {
  it('an Atlas replica set: endpoint, two zones, A + SRV + TXT, both strings', async () => {
    const { code, result, stderr } = await sandbox.provision('atlas-replica-set.json');
    expect(code, stderr).toBe(0);
    expect(result.status).toBe('READY');
    expect(result.service).toMatchObject({ serviceId: 'vpce-svc-0123456789abcdef0', created: false });
    expect(result.endpoint?.state).toBe('available');
    expect(result.endpoint?.dnsName).toMatch(
      /^vpce-[0-9a-f]{17}-[a-z0-9]{8}\.vpce-svc-0123456789abcdef0\.us-east-1\.vpce\.amazonaws\.com$/,
    );
    expect(result.endpoint?.privateIpAddresses).toHaveLength(2);
    expect(result.endpoint?.privateIpAddresses.every(ipInSubnets)).toBe(true);
    expect(result.dns?.zones.map((z) => z.name).sort()).toEqual([
      'cluster0-pl-0-k45tj.mongodb.net',
      'pl-0-us-east-1-k45tj.mongodb.net',
    ]);
    const byType = Object.fromEntries((result.dns?.records ?? []).map((r) => [r.type, r]));
    expect(byType.A?.name).toBe('pl-0-us-east-1-k45tj.mongodb.net');
    expect([...(byType.A?.values ?? [])].sort()).toEqual([...(result.endpoint?.privateIpAddresses ?? [])].sort());
    expect(byType.SRV).toMatchObject({
      name: '_mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net',
      ttl: 60,
      values: [
        '0 0 1024 pl-0-us-east-1-k45tj.mongodb.net',
        '0 0 1025 pl-0-us-east-1-k45tj.mongodb.net',
        '0 0 1026 pl-0-us-east-1-k45tj.mongodb.net',
      ],
    });
    expect(byType.TXT?.values).toEqual(['"authSource=admin&replicaSet=Cluster0-shard-0"']);
    expect(result.connectionStrings).toEqual({
      standard:
        'mongodb://pl-0-us-east-1-k45tj.mongodb.net:1024,pl-0-us-east-1-k45tj.mongodb.net:1025,pl-0-us-east-1-k45tj.mongodb.net:1026/?tls=true&authSource=admin&replicaSet=Cluster0-shard-0',
      srv: 'mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/',
    });
    // never before the endpoint is available (120 s on the default seed)
    expect(result.stats?.simulatedSeconds).toBeGreaterThanOrEqual(120);
    expect(stderr).toContain('CreateInterfaceEndpoint');

    const inventory = await sandbox.inventory();
    expect(inventory.endpoints).toHaveLength(1);
    expect(inventory.endpoints[0]?.tags[REQUEST_ID_TAG]).toBe('cluster0-app-prod');
    expect(inventory.endpoints[0]?.tags.team).toBe('payments');
    expect(inventory.hostedZones).toHaveLength(2);
  });

  it('a serverless instance: load-balanced TXT, one port', async () => {
    const { code, result } = await sandbox.provision('atlas-serverless.json');
    expect(code).toBe(0);
    const txt = result.dns?.records.find((r) => r.type === 'TXT');
    expect(txt?.values).toEqual(['"authSource=admin&loadBalanced=true"']);
    expect(result.connectionStrings?.standard).toContain('loadBalanced=true');
    expect(result.connectionStrings?.srv).toBe('mongodb+srv://serverless0-pl-0-k45tj.mongodb.net/');
  });

  it("a Pinecone private index: Pinecone's private zone with one wildcard alias, and the private host's URL", async () => {
    const { code, result } = await sandbox.provision('pinecone-index.json');
    expect(code).toBe(0);
    expect(result.dns?.zones.map((z) => z.name)).toEqual(['private.aped-4627-b74a.pinecone.io']);
    expect(result.dns?.records.map((r) => [r.name, r.type])).toEqual([['*.private.aped-4627-b74a.pinecone.io', 'A']]);
    expect(result.dns?.records[0]?.aliasTarget?.dnsName).toBe(result.endpoint?.dnsName);
    expect(result.connectionStrings).toEqual({
      url: 'https://my-index-abc1234.svc.private.aped-4627-b74a.pinecone.io',
    });
  });

  it('our own NLB service: created, accepted by us, ingress on 5432 from the app group', async () => {
    const { code, result, stderr } = await sandbox.provision('orders-nlb-tcp.json');
    expect(code, stderr).toBe(0);
    expect(result.service?.created).toBe(true);
    expect(stderr).toContain('AcceptEndpointConnection');
    expect(result.connectionStrings).toEqual({ url: 'postgresql://orders-db.internal.example.com:5432' });
    const inventory = await sandbox.inventory();
    expect(inventory.endpointServices).toHaveLength(1);
    expect(inventory.endpointServices[0]?.tags[REQUEST_ID_TAG]).toBe('orders-db-app');
  });

  it('a repeated request returns the same result without a second endpoint', async () => {
    const first = await sandbox.provision('atlas-replica-set.json');
    const second = await sandbox.provision('atlas-replica-set.json');
    expect(second.code).toBe(0);
    expect(second.result.endpoint?.endpointId).toBe(first.result.endpoint?.endpointId);
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);
  });
});

describe('the endpoint and its DNS followed together', () => {
  it('endpoint after 150 s and DNS 40 s after a change: READY once both hold, in 8 Route 53 calls', async () => {
    const timed = await sandboxDir({ endpointAvailableAfterSeconds: 150, dnsChangeInsyncAfterSeconds: 40 });
    try {
      const { code, result, stderr } = await timed.provision('atlas-replica-set.json');
      expect(code, stderr).toBe(0);
      const stats = result.stats;
      // never before the endpoint is available (the timings themselves are the bench's: npm run bench)
      expect(stats?.simulatedSeconds).toBeGreaterThanOrEqual(150);
      expect(stats?.stateTransitions).toBeLessThanOrEqual(60);
      // DNS written at creation, one GetChange per change, seen INSYNC once the endpoint was available
      expect(stderr.indexOf('UpsertDnsRecords')).toBeLessThan(stderr.indexOf('CheckEndpoint'));
      const route53 = Object.fromEntries(
        Object.entries(stats?.awsCalls ?? {}).filter(([op]) =>
          /HostedZone|ResourceRecordSets|GetChange|TagsForResource/.test(op),
        ),
      );
      expect(route53).toStrictEqual({
        CreateHostedZone: 2,
        ChangeTagsForResource: 2,
        ChangeResourceRecordSets: 2,
        GetChange: 2,
      });
      // reported from what was written: no read-back
      expect(stats?.awsCalls.ListResourceRecordSets).toBeUndefined();
    } finally {
      await timed.cleanup();
    }
  });

  it('DNS slower than the endpoint: READY only after a GetChange saw INSYNC', async () => {
    const timed = await sandboxDir({ endpointAvailableAfterSeconds: 45, dnsChangeInsyncAfterSeconds: 90 });
    try {
      const { code, result, stderr } = await timed.provision('atlas-replica-set.json');
      expect(code, stderr).toBe(0);
      expect(result.stats?.simulatedSeconds).toBeGreaterThanOrEqual(90);
      expect(result.stats?.awsCalls.GetChange).toBeGreaterThan(2);
    } finally {
      await timed.cleanup();
    }
  });
});
