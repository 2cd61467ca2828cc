// The strings a provisioning emits, resolved by the real MongoDB driver against the records read back
// from the sandbox's Route 53 (served on 127.0.0.1): exactly the cluster's hosts and options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';
import { connectAndView, parseStandard, withCredentials, withDns } from '../support/mongodb-driver.ts';

let sandbox: SandboxDir;
beforeAll(async () => {
  sandbox = await sandboxDir();
});
afterAll(async () => {
  await sandbox.cleanup();
});

describe.each([
  {
    file: 'atlas-replica-set.json',
    host: 'pl-0-us-east-1-k45tj.mongodb.net',
    ports: [1024, 1025, 1026],
    replicaSet: 'Cluster0-shard-0',
    loadBalanced: false,
  },
  {
    file: 'atlas-serverless.json',
    host: 'pl-0-lb-us-east-1-k45tj.mongodb.net',
    ports: [27017],
    replicaSet: undefined,
    loadBalanced: true,
  },
])('$file provisioned on the sandbox', ({ file, host, ports, replicaSet, loadBalanced }) => {
  let result: ProvisionResult;
  beforeAll(async () => {
    ({ result } = await sandbox.provision(file));
    expect(result.status).toBe('READY');
  });
  const expected = {
    hosts: ports.map((p) => `${host}:${p}`),
    replicaSet,
    loadBalanced,
    tls: true,
    authSource: 'admin',
  };

  it('mongodb+srv resolves through the records Route 53 holds to the cluster and the endpoint IPs', async () => {
    const records = (await sandbox.inventory()).hostedZones.flatMap((z) =>
      z.records.map((r) => ({ name: r.name, type: r.type, ttl: 60, values: r.values })),
    );
    const view = await withDns(records, () => connectAndView(withCredentials(result.connectionStrings?.srv ?? '')));
    expect(view).toMatchObject(expected);
    expect(view.addresses[host]?.sort()).toEqual([...(result.endpoint?.privateIpAddresses ?? [])].sort());
  });

  it('the standard string parses to the same hosts and options', () => {
    expect(parseStandard(withCredentials(result.connectionStrings?.standard ?? ''))).toMatchObject(expected);
  });
});
