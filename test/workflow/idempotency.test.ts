// Idempotency: repeated, conflicting, interrupted and concurrent provisions of one request converge on
// one endpoint; requests sharing a zone never touch each other's records.

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { callerReference, clientToken, zoneCreator } from '../../src/core/domain/ids.ts';
import { type ProvisionRequest, parseProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { FileExecutionStore } from '../../src/core/runner/execution-store.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

async function parsed(name: string, patch: Record<string, unknown> = {}): Promise<ProvisionRequest> {
  const result = parseProvisionRequest({ ...(await example(name)), ...patch });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.request;
}

describe('a repeated provision', () => {
  it('converges on the same endpoint and zones and returns the same result', async () => {
    const first = await sandbox.provision('atlas-replica-set.json');
    const inventoryBefore = await sandbox.inventory();
    const second = await sandbox.provision('atlas-replica-set.json');
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/exists already \(READY\)/);
    expect(second.result).toEqual(first.result);
    expect(await sandbox.inventory()).toEqual(inventoryBefore);
  });

  it('the same id with a different body is refused with exit 2, and nothing changes', async () => {
    await sandbox.provision('atlas-replica-set.json');
    const before = await sandbox.inventory();
    const other = { ...(await example('atlas-replica-set.json')), tags: { team: 'billing' } };
    const { code, stderr, stdout } = await sandbox.provision(other);
    expect(code).toBe(2);
    expect(stderr).toMatch(/request id cluster0-app-prod already names a different request; choose another requestId/);
    expect(JSON.parse(stdout).error.code).toBe('RequestIdConflict');
    expect(await sandbox.inventory()).toEqual(before);
  });
});

describe('a re-run after a crash between two steps', () => {
  it('carries on from what the crashed run created: one endpoint, READY', async () => {
    // The crashed run: EnsureEndpointService and CreateInterfaceEndpoint ran, then the process died
    // with its execution recorded as RUNNING by a process that no longer exists.
    const request = await parsed('atlas-replica-set.json');
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    let endpointId: string;
    try {
      const ensure = await import('../../functions/ensure-endpoint-service.ts');
      const create = await import('../../functions/create-interface-endpoint.ts');
      const service = await ensure.handler({ request });
      const endpoint = (await create.handler({ request, service })) as { endpointId: string };
      endpointId = endpoint.endpointId;
    } finally {
      await env.close();
    }
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await new FileExecutionStore(sandbox.dir).put({
      workflow: 'provision',
      requestId: request.requestId,
      executionName: request.requestId,
      attempt: 1,
      requestHash: (await import('../../src/core/app/provision.ts')).requestHash(request),
      input: { request },
      status: 'RUNNING',
      currentStep: 'CheckEndpoint',
      startedAt: new Date().toISOString(),
      pid: deadPid,
    });
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);

    const rerun = await sandbox.provision('atlas-replica-set.json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.result.status).toBe('READY');
    expect(rerun.result.endpoint?.endpointId).toBe(endpointId);
    expect((await sandbox.inventory()).endpoints).toHaveLength(1);
  });
});

describe('concurrent provisions of one request', () => {
  it('two startProvision on one environment start one execution and make one endpoint', async () => {
    const request = await parsed('orders-nlb-tcp.json');
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    try {
      const [a, b] = await Promise.all([startProvision(env, request), startProvision(env, request)]);
      expect([a.kind, b.kind].sort()).toEqual(['existing', 'started']);
      const started = a.kind === 'started' ? a : b;
      if (started.kind !== 'started') throw new Error('unreachable');
      expect((await started.execution).status).toBe('READY');
    } finally {
      await env.close();
    }
    const inventory = await sandbox.inventory();
    expect(inventory.endpoints).toHaveLength(1);
    expect(inventory.endpointServices).toHaveLength(1);
  });

  it('two workflow executions racing on AWS alone (no shared lock) still make one endpoint and one zone each', async () => {
    const request = await parsed('orders-nlb-tcp.json');
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    let outcomes: Awaited<ReturnType<typeof runWorkflow>>[];
    try {
      const run = (executionName: string) =>
        runWorkflow({
          workflow: 'provision',
          input: { request },
          executionName,
          ...(env.sandbox && { sandbox: env.sandbox }),
        });
      outcomes = await Promise.all([run('orders-db-app'), run('orders-db-app-2')]);
    } finally {
      await env.close();
    }
    expect(outcomes.map((o) => o.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const ids = outcomes.map((o) =>
      o.status === 'SUCCEEDED' ? (o.output as ProvisionResult).endpoint?.endpointId : '',
    );
    expect(ids[0]).toBe(ids[1]);
    const inventory = await sandbox.inventory();
    expect(inventory.endpoints).toHaveLength(1);
    expect(inventory.endpointServices).toHaveLength(1);
    expect(inventory.hostedZones).toHaveLength(1);
  });
});

describe('requests sharing a zone through dns.zoneName', () => {
  const shared = (requestId: string, host: string, serviceId: string) => ({
    requestId,
    region: 'us-east-1',
    service: { serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}` },
    consumer: {
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'],
      securityGroupIds: ['sg-0fedcba9876543210'],
    },
    target: { kind: 'tcp', host, port: 5432, scheme: 'postgresql' },
    dns: { records: 'A', zoneName: 'internal.example.com' },
  });

  it("never clobber each other's records; tearing one down leaves the other's records and the zone", async () => {
    const a = await sandbox.provision(shared('orders', 'orders.internal.example.com', 'vpce-svc-0a0b0c0d0e0f01234'));
    const b = await sandbox.provision(shared('billing', 'billing.internal.example.com', 'vpce-svc-0fedcba98765432f0'));
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(b.result.dns?.zones).toEqual(a.result.dns?.zones);
    let zones = (await sandbox.inventory()).hostedZones;
    expect(zones).toHaveLength(1);
    const aRecords = (name: string) => zones[0]?.records.filter((r) => r.name === name && r.type === 'A') ?? [];
    expect(aRecords('orders.internal.example.com')[0]?.values.sort()).toEqual(
      [...(a.result.endpoint?.privateIpAddresses ?? [])].sort(),
    );
    expect(aRecords('billing.internal.example.com')[0]?.values.sort()).toEqual(
      [...(b.result.endpoint?.privateIpAddresses ?? [])].sort(),
    );

    const down = await sandbox.cli(['teardown', '--request-id', 'orders', '--json']);
    expect(down.code, down.stderr).toBe(0);
    const result = JSON.parse(down.stdout) as ProvisionResult;
    expect(result.kept?.join('\n')).toMatch(/zone internal\.example\.com .*1 record set\(s\) of others/);
    zones = (await sandbox.inventory()).hostedZones;
    expect(zones.map((z) => z.name)).toEqual(['internal.example.com']);
    expect(aRecords('orders.internal.example.com')).toEqual([]);
    expect(aRecords('billing.internal.example.com')[0]?.values.sort()).toEqual(
      [...(b.result.endpoint?.privateIpAddresses ?? [])].sort(),
    );
    expect((await sandbox.inventory()).endpoints.map((e) => e.endpointId)).toEqual([b.result.endpoint?.endpointId]);

    // the last request using the zone removes it, though another request created it
    const last = await sandbox.cli(['teardown', '--request-id', 'billing', '--json']);
    expect(last.code, last.stderr).toBe(0);
    expect(JSON.parse(last.stdout).undone.join('\n')).toMatch(/deleted private hosted zone internal\.example\.com/);
    expect(await sandbox.inventory()).toEqual(EMPTY_INVENTORY);
  });
});

describe('idempotency tokens derive from the request id and its attempt', () => {
  it('ClientToken: stable per request, purpose and attempt, within EC2 limits', () => {
    const token = clientToken('cluster0-app-prod', 'endpoint', 1);
    // the same attempt, however often or concurrently it runs: one endpoint
    expect(token).toBe(clientToken('cluster0-app-prod', 'endpoint', 1));
    expect(token).not.toBe(clientToken('cluster0-app-prod', 'service', 1));
    expect(token).not.toBe(clientToken('cluster0-app-pro', 'endpoint', 1));
    // a new attempt after a failure was undone or a teardown: a new token (EC2 would replay the old one)
    expect(token).not.toBe(clientToken('cluster0-app-prod', 'endpoint', 2));
    const longest = clientToken('x'.repeat(64), 'endpoint', 999_999);
    expect(longest.length).toBeLessThanOrEqual(64);
    expect(longest).toMatch(/^[\x20-\x7e]+$/);
  });

  it('CallerReference: per request, zone and attempt, within Route 53 limits, and what the zone carries', async () => {
    const ref = callerReference('cluster0-app-prod', 'pl-0-us-east-1-k45tj.mongodb.net', 1);
    expect(ref).toBe(callerReference('cluster0-app-prod', 'pl-0-us-east-1-k45tj.mongodb.net', 1));
    expect(ref).toContain('cluster0-app-prod');
    expect(ref).not.toBe(callerReference('cluster0-app-prod', 'cluster0-pl-0-k45tj.mongodb.net', 1));
    expect(ref).not.toBe(callerReference('cluster0-app-prod', 'pl-0-us-east-1-k45tj.mongodb.net', 2));
    expect(zoneCreator(ref, 'pl-0-us-east-1-k45tj.mongodb.net')).toBe('cluster0-app-prod');
    expect(zoneCreator(callerReference('a-b', 'x.example.com', 7), 'x.example.com')).toBe('a-b');
    expect(zoneCreator(ref, 'cluster0-pl-0-k45tj.mongodb.net')).toBeUndefined();
    expect(zoneCreator('someone-else', 'pl-0-us-east-1-k45tj.mongodb.net')).toBeUndefined();
    const longest = callerReference('y'.repeat(64), `${'a'.repeat(63)}.${'b'.repeat(63)}.com`, 999_999);
    expect(longest.length).toBeLessThanOrEqual(128);

    const { result } = await sandbox.provision('atlas-replica-set.json');
    const account = await Sandbox.load(sandbox.dir);
    const zone = result.dns?.zones.find((z) => z.name === 'pl-0-us-east-1-k45tj.mongodb.net');
    const detail = (await account?.handle('route53', 'GetHostedZone', { Id: zone?.hostedZoneId })) as {
      HostedZone: { CallerReference: string };
    };
    expect(detail.HostedZone.CallerReference).toBe(ref);
  });
});
