// service.atlas on the default sandbox, through the CLI: the real statemachines/ against the simulated
// Atlas organization. The strings in the result are compared with what Atlas itself answers for the
// cluster (the privateEndpoint[] entry naming our endpoint), never with strings written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import {
  atlasReader,
  type FullInventory,
  hostOf,
  portsOf,
  readExample,
  type VendorSandbox,
  vendorSandbox,
} from '../support/vendor-sandbox.ts';

const PROJECT = '6123456789abcdef01234567';

async function atlasRequest(requestId: string) {
  return { ...(await readExample('atlas-cluster.json')), requestId };
}

function endpointOf(inventory: FullInventory, endpointId: string | undefined) {
  return inventory.endpoints.find((e) => e.endpointId === endpointId);
}

describe('examples/atlas-cluster.json, then a second request for the same cluster, then both torn down', () => {
  let sandbox: VendorSandbox;
  let first: ProvisionResult;
  let second: ProvisionResult;
  beforeAll(async () => {
    sandbox = await vendorSandbox();
  });
  afterAll(async () => {
    await sandbox.cleanup();
  });

  it('ends READY with the strings Atlas gives for our endpoint, its view of the service, and no private zone', async () => {
    const run = await sandbox.provision('atlas-cluster.json');
    expect(run.code, run.stderr).toBe(0);
    first = run.result;
    expect(first.status).toBe('READY');
    const inventory = await sandbox.inventory();
    expect(inventory.atlas.endpointServices).toHaveLength(1);
    const atlasService = inventory.atlas.endpointServices[0];
    expect(first.vendor).toEqual({
      name: 'atlas',
      endpointServiceId: atlasService?.id,
      status: 'AVAILABLE',
      connectionStatus: 'AVAILABLE',
    });
    expect(first.service).toMatchObject({ serviceName: atlasService?.endpointServiceName, created: true });
    expect(first.service?.serviceId).toBe(atlasService?.endpointServiceName?.split('.').at(-1));

    const endpointId = first.endpoint?.endpointId ?? '';
    expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
    const ours = endpointOf(inventory, endpointId);
    expect(first.endpoint).toEqual({
      endpointId,
      state: 'available',
      dnsName: ours?.dnsName,
      privateIpAddresses: ours?.privateIpAddresses,
    });
    expect(first.endpoint?.privateIpAddresses).toHaveLength(3);

    const entry = await (await atlasReader(sandbox.dir, sandbox.seed)).entryFor(PROJECT, 'Cluster0', endpointId);
    expect(entry, 'Atlas lists our endpoint in the cluster').toBeDefined();
    expect(first.connectionStrings).toEqual({
      standard: entry?.connectionString,
      srv: entry?.srvConnectionString,
    });
    expect(first.connectionStrings?.standard).toMatch(/^mongodb:\/\/pl-0-us-east-1\./);
    expect(first.connectionStrings?.srv).toMatch(/^mongodb\+srv:\/\/cluster0-pl-0\./);

    // Atlas publishes these names itself: nothing in Route 53, nothing in the result's dns.
    expect(inventory.hostedZones).toEqual([]);
    expect(first.dns?.zones ?? []).toEqual([]);
    expect(inventory.atlas.endpoints).toEqual([
      {
        projectId: PROJECT,
        endpointServiceId: atlasService?.id,
        interfaceEndpointId: endpointId,
        connectionStatus: 'AVAILABLE',
      },
    ]);
  });

  it("publishes Atlas's public DNS: the seedlist SRV and TXT, and the pl- CNAME to our endpoint's DNS name", async () => {
    const { dnsRecords } = (await sandbox.inventory()).atlas;
    const standard = first.connectionStrings?.standard ?? '';
    const host = hostOf(standard);
    const srvHost = hostOf(first.connectionStrings?.srv ?? '');
    const find = (name: string, type: string) => dnsRecords.find((r) => r.name === name && r.type === type);
    expect(find(host, 'CNAME')?.values).toEqual([first.endpoint?.dnsName]);
    expect(find(`_mongodb._tcp.${srvHost}`, 'SRV')?.values).toEqual(portsOf(standard).map((p) => `0 0 ${p} ${host}`));
    const options = new URLSearchParams(standard.split('?')[1] ?? '');
    expect(find(srvHost, 'TXT')?.values).toEqual([
      `"authSource=${options.get('authSource')}&replicaSet=${options.get('replicaSet')}"`,
    ]);
  });

  it('a second request for the same project and region adopts the service (service.created false) and gets its own strings', async () => {
    const run = await sandbox.provision(await atlasRequest('cluster0-app-ci'));
    expect(run.code, run.stderr).toBe(0);
    second = run.result;
    expect(second.status).toBe('READY');
    expect(second.vendor?.endpointServiceId).toBe(first.vendor?.endpointServiceId);
    expect(second.service).toEqual({ ...first.service, created: false });
    expect(second.endpoint?.endpointId).not.toBe(first.endpoint?.endpointId);
    const entry = await (await atlasReader(sandbox.dir, sandbox.seed)).entryFor(
      PROJECT,
      'Cluster0',
      second.endpoint?.endpointId ?? '',
    );
    expect(second.connectionStrings).toEqual({ standard: entry?.connectionString, srv: entry?.srvConnectionString });
    // the entry naming our endpoint, not the first one's
    expect(second.connectionStrings?.srv).not.toBe(first.connectionStrings?.srv);
    const inventory = await sandbox.inventory();
    expect(inventory.atlas.endpointServices).toHaveLength(1);
    expect(inventory.atlas.endpointServices[0]?.interfaceEndpoints.sort()).toEqual(
      [first.endpoint?.endpointId, second.endpoint?.endpointId].sort(),
    );
    expect(inventory.endpoints).toHaveLength(2);
  });

  it("tearing down the first leaves the second working and Atlas's service in place", async () => {
    const down = await sandbox.teardown(first.requestId);
    expect(down.code, down.stderr).toBe(0);
    expect(down.result.status).toBe('DELETED');
    expect(down.result.undone?.join('\n')).toContain(`deregistered ${first.endpoint?.endpointId}`);
    expect(down.result.undone?.join('\n')).not.toMatch(/deleted Atlas endpoint service/);

    const inventory = await sandbox.inventory();
    expect(inventory.endpoints.map((e) => e.endpointId)).toEqual([second.endpoint?.endpointId]);
    expect(inventory.endpoints[0]?.state).toBe('available');
    expect(inventory.atlas.endpointServices).toHaveLength(1);
    expect(inventory.atlas.endpointServices[0]).toMatchObject({
      id: second.vendor?.endpointServiceId,
      status: 'AVAILABLE',
      interfaceEndpoints: [second.endpoint?.endpointId],
    });
    expect(inventory.atlas.endpoints).toEqual([
      expect.objectContaining({ interfaceEndpointId: second.endpoint?.endpointId, connectionStatus: 'AVAILABLE' }),
    ]);
    // Atlas still serves the second's strings, and its names still lead to the second's endpoint.
    const entry = await (await atlasReader(sandbox.dir, sandbox.seed)).entryFor(
      PROJECT,
      'Cluster0',
      second.endpoint?.endpointId ?? '',
    );
    expect(entry?.srvConnectionString).toBe(second.connectionStrings?.srv);
    const cname = inventory.atlas.dnsRecords.find(
      (r) => r.type === 'CNAME' && r.name === hostOf(second.connectionStrings?.standard ?? ''),
    );
    expect(cname?.values).toEqual([second.endpoint?.dnsName]);
    expect(inventory.atlas.dnsRecords.some((r) => r.values.includes(first.endpoint?.dnsName ?? '-'))).toBe(false);
    expect((await sandbox.status(second.requestId)).result.status).toBe('READY');
  });

  it('tearing down the second too leaves nothing at Atlas or in AWS', async () => {
    const down = await sandbox.teardown(second.requestId);
    expect(down.code, down.stderr).toBe(0);
    expect(down.result.status).toBe('DELETED');
    const inventory = await sandbox.inventory();
    expect(inventory).toEqual({
      endpoints: [],
      endpointServices: [],
      hostedZones: [],
      atlas: { endpointServices: [], endpoints: [], dnsRecords: [] },
    });
  });
});

describe('examples/atlas-sharded.json', () => {
  let sandbox: VendorSandbox;
  beforeAll(async () => {
    sandbox = await vendorSandbox();
  });
  afterAll(async () => {
    await sandbox.cleanup();
  });

  it("ends READY with Atlas's three strings, srvShardOptimized among them, and its seedlists published", async () => {
    const run = await sandbox.provision('atlas-sharded.json');
    expect(run.code, run.stderr).toBe(0);
    const { result } = run;
    expect(result.status).toBe('READY');
    const entry = await (await atlasReader(sandbox.dir, sandbox.seed)).entryFor(
      PROJECT,
      'Orders',
      result.endpoint?.endpointId ?? '',
    );
    expect(entry?.type).toBe('MONGOS');
    expect(entry?.srvShardOptimizedConnectionString).toBeTruthy();
    expect(result.connectionStrings).toEqual({
      standard: entry?.connectionString,
      srv: entry?.srvConnectionString,
      srvShardOptimized: entry?.srvShardOptimizedConnectionString,
    });
    const { dnsRecords } = (await sandbox.inventory()).atlas;
    for (const uri of [result.connectionStrings?.srv, result.connectionStrings?.srvShardOptimized])
      expect(dnsRecords.some((r) => r.type === 'SRV' && r.name === `_mongodb._tcp.${hostOf(uri ?? '')}`)).toBe(true);
    const cname = dnsRecords.find(
      (r) => r.type === 'CNAME' && r.name === hostOf(result.connectionStrings?.standard ?? ''),
    );
    expect(cname?.values).toEqual([result.endpoint?.dnsName]);
  });
});
