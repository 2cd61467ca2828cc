// The strings an Atlas provisioning emits, used by the real MongoDB driver against the public DNS the
// sandbox publishes (Atlas's seedlist SRV and TXT, its pl- CNAMEs, AWS's endpoint names), served on
// 127.0.0.1: the chain leads from Atlas's names to our endpoint's private IPs, and the driver's
// connection attempts go to those hosts. No socket to a database is opened (support/mongodb-driver.ts).
import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import type { RecordSet } from '../../src/core/ports.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { type DnsTestServer, startDnsServer } from '../support/dns-server.ts';
import { connectAndView, withCredentials } from '../support/mongodb-driver.ts';
import { hostOf, portsOf, type VendorSandbox, vendorSandbox } from '../support/vendor-sandbox.ts';

/** Serves the records and points Node's resolver (which the driver uses) at them, restoring it after. */
async function withPublicDns<T>(records: RecordSet[], run: (server: DnsTestServer) => Promise<T>): Promise<T> {
  const server = await startDnsServer(records, { followCnames: true });
  const previous = dns.getServers();
  dns.setServers([`127.0.0.1:${server.port}`]);
  try {
    return await run(server);
  } finally {
    dns.setServers(previous);
    await server.close();
  }
}

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort();

let sandbox: VendorSandbox;
beforeAll(async () => {
  sandbox = await vendorSandbox();
});
afterAll(async () => {
  await sandbox.cleanup();
});

async function publicRecords(): Promise<RecordSet[]> {
  const account = await Sandbox.load(sandbox.dir);
  if (!account) throw new Error('no sandbox saved');
  return account.publicDns().map((r) => ({ name: r.name, type: r.type, ttl: 60, values: [...r.values] }));
}

describe.each([
  { file: 'atlas-cluster.json', sharded: false },
  { file: 'atlas-sharded.json', sharded: true },
])('$file provisioned on the default sandbox', ({ file, sharded }) => {
  let result: ProvisionResult;
  beforeAll(async () => {
    const run = await sandbox.provision(file);
    expect(run.code, run.stderr).toBe(0);
    result = run.result;
  });

  it("Atlas's names resolve: SRV → pl- host, CNAME → our endpoint's DNS name, A → its ENI IPs", async () => {
    const standard = result.connectionStrings?.standard ?? '';
    const host = hostOf(standard);
    const ips = sorted(result.endpoint?.privateIpAddresses);
    expect(ips.length).toBeGreaterThan(0);
    const srvStrings = [
      result.connectionStrings?.srv,
      ...(sharded ? [result.connectionStrings?.srvShardOptimized] : []),
    ];
    expect(srvStrings.every((s) => s?.startsWith('mongodb+srv://'))).toBe(true);
    await withPublicDns(await publicRecords(), async () => {
      for (const srv of srvStrings) {
        const answers = await dns.promises.resolveSrv(`_mongodb._tcp.${hostOf(srv ?? '')}`);
        expect(answers.map((a) => a.name).every((name) => name === host)).toBe(true);
        expect(answers.map((a) => a.port).sort()).toEqual(portsOf(standard).sort());
      }
      expect(host).toMatch(/^pl-\d+-us-east-1\./);
      expect(await dns.promises.resolveCname(host)).toEqual([result.endpoint?.dnsName]);
      expect(result.endpoint?.dnsName).toMatch(
        /^vpce-[0-9a-f]{17}-[a-z0-9]+\.vpce-svc-[0-9a-f]{17}\.us-east-1\.vpce\.amazonaws\.com$/,
      );
      expect(sorted(await dns.promises.resolve4(result.endpoint?.dnsName ?? ''))).toEqual(ips);
      // a resolver follows the chain for the A question itself
      expect(sorted(await dns.promises.resolve4(host))).toEqual(ips);
    });
  });

  it('the real driver resolves the mongodb+srv string to those hosts and options, and tries only them', async () => {
    const standard = result.connectionStrings?.standard ?? '';
    const host = hostOf(standard);
    const options = new URLSearchParams(standard.split('?')[1] ?? '');
    const expected = {
      hosts: portsOf(standard)
        .map((port) => `${host}:${port}`)
        .sort(),
      replicaSet: options.get('replicaSet') ?? undefined,
      tls: true,
      authSource: options.get('authSource') ?? undefined,
    };
    if (sharded) expect(expected.replicaSet).toBeUndefined();
    else expect(expected.replicaSet).toMatch(/-shard-0$/);
    const srvStrings = [
      result.connectionStrings?.srv,
      ...(sharded ? [result.connectionStrings?.srvShardOptimized] : []),
    ];
    for (const srv of srvStrings) {
      const { view, queries } = await withPublicDns(await publicRecords(), async (server) => ({
        view: await connectAndView(withCredentials(srv ?? '')),
        queries: server.queries,
      }));
      expect(view).toMatchObject(expected);
      expect(queries).toContain(`SRV _mongodb._tcp.${hostOf(srv ?? '')}`);
      expect(queries).toContain(`TXT ${hostOf(srv ?? '')}`);
      // every connection the driver tried was to Atlas's pl- host, which our DNS answered with the endpoint's IPs
      expect(Object.keys(view.addresses)).toEqual([host]);
      expect(sorted(view.addresses[host])).toEqual(sorted(result.endpoint?.privateIpAddresses));
    }
  });
});
