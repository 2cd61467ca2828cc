// The Atlas fault matrix: every Atlas Administration API operation the workflows call, read from
// traced runs of examples/atlas-cluster.json (provisioning, teardown, and the undo after a failure),
// so the list follows the code. Provisioning: a transient answer (503 or 429 on the first two calls)
// still ends READY; a terminal one (400, or 401 for the token) ends FAILED with Atlas's errorCode at
// the state that called it, nothing left at Atlas or in AWS. Teardown: transient → DELETED, terminal →
// FAILED, and a second teardown finishes. Undo: transient → the original failure, nothing left;
// terminal → the original failure stays the headline, a teardown finishes. And the 409 of a second
// endpoint service for the region: adopted when a rival created one, a clear failure otherwise.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { useAtlasTransport } from '../../src/core/atlas-transport.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { ATLAS_OPERATIONS, FAULT_STATUS_CODES, Sandbox } from '../../src/core/sandbox/index.ts';
import { type AtlasUse, traceAtlasRun } from '../support/atlas-operations.ts';
import { readExample, type Seed, type VendorSandbox, vendorSandbox } from '../support/vendor-sandbox.ts';

const REQUEST_ID = 'cluster0-app-prod';
const request = await readExample('atlas-cluster.json');
/**
 * Every lifecycle short (the default seed's are exercised in atlas.test.ts), so the matrix stays quick:
 * still one check of Atlas's service while it is INITIATING and one read of the cluster while it is UPDATING.
 */
const quick = (seed: Seed) => {
  seed.atlas.timing = {
    serviceReadyAfterSeconds: 5,
    endpointAvailableAfterSeconds: 5,
    connectionStringsAfterSeconds: 5,
  };
  seed.timing = { ...seed.timing, endpointAvailableAfterSeconds: 5, endpointDeletedAfterSeconds: 5 };
};

async function withSandbox<T>(fn: (sandbox: VendorSandbox) => Promise<T>): Promise<T> {
  const sandbox = await vendorSandbox(quick);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.cleanup();
  }
}

function firstUses(uses: AtlasUse[], step?: string): AtlasUse[] {
  const first = new Map<string, AtlasUse>();
  for (const use of uses) if ((!step || use.step === step) && !first.has(use.operation)) first.set(use.operation, use);
  return [...first.values()];
}

// --- which operations each phase calls -------------------------------------------------------------

/** The sandbox as one clean provisioning left it: where each teardown case starts (copied). */
const provisioned = await mkdtemp(join(tmpdir(), 'privatelink-atlas-provisioned-'));
const clean = await withSandbox((s) =>
  traceAtlasRun(s.dir, s.seedFile, request, {
    teardown: true,
    afterProvision: () => cp(s.dir, provisioned, { recursive: true }),
  }),
);
const provisionOps = firstUses(clean.provision.uses);
const teardownOps = firstUses(clean.teardown?.uses ?? []);
/** Runs that fail after Atlas's service exists, and what their undo calls at Atlas. */
const TRIGGERS = ['createEndpoint', 'getCluster'];
const undoOps: (AtlasUse & { trigger: string })[] = [];
for (const trigger of TRIGGERS) {
  const traced = await withSandbox((s) =>
    traceAtlasRun(s.dir, s.seedFile, request, { faults: [`atlas:${trigger}:400:1`] }),
  );
  for (const use of firstUses(traced.provision.uses, 'Compensate'))
    if (use.operation.startsWith('delete') && !undoOps.some((u) => u.operation === use.operation))
      undoOps.push({ ...use, trigger });
}

const transient = (index: number) => (index % 2 === 0 ? 503 : 429);
const terminal = (operation: string) => (operation === 'getToken' ? 401 : 400);
/** What the result's error.code must be: Atlas's errorCode (the adapter's for the token's OAuth refusal). */
const atlasCode = (operation: string) =>
  operation === 'getToken' ? 'INVALID_CREDENTIALS' : (FAULT_STATUS_CODES[terminal(operation)] ?? '');

const special = 6;
const planned = provisionOps.length * 2 + teardownOps.length * 2 + undoOps.length * 2 + special;
let passed = 0;
afterAll(async () => {
  console.log(`atlas fault matrix: ${passed}/${planned}`);
  await rm(provisioned, { recursive: true, force: true });
});

/** A sandbox holding the clean provisioning of examples/atlas-cluster.json (READY), for a teardown. */
async function withProvisioned<T>(fn: (sandbox: VendorSandbox) => Promise<T>): Promise<T> {
  return withSandbox(async (sandbox) => {
    await cp(provisioned, sandbox.dir, { recursive: true });
    expect((await sandbox.status(REQUEST_ID)).result.status).toBe('READY');
    return fn(sandbox);
  });
}

/** Nothing of the request: no endpoint, zone or tagged ingress rule in AWS; at Atlas no endpoint, no record, and no service but one being deleted. */
async function expectNothingLeft(sandbox: VendorSandbox) {
  const inventory = await sandbox.inventory();
  expect(inventory.endpoints).toEqual([]);
  expect(inventory.endpointServices).toEqual([]);
  expect(inventory.hostedZones).toEqual([]);
  expect(inventory.atlas.endpoints).toEqual([]);
  expect(inventory.atlas.dnsRecords).toEqual([]);
  expect(inventory.atlas.endpointServices.filter((s) => s.status !== 'DELETING')).toEqual([]);
  const account = await Sandbox.load(sandbox.dir);
  const rules = (await account?.handle('ec2', 'DescribeSecurityGroupRules', {
    Filters: [{ Name: 'tag:privatelink:request-id', Values: [REQUEST_ID] }],
  })) as { SecurityGroupRules?: unknown[] };
  expect(rules.SecurityGroupRules ?? []).toEqual([]);
}

const calls = (result: ProvisionResult, operation: string) => result.stats?.awsCalls[`atlas:${operation}`] ?? 0;

describe('the Atlas operations in use', () => {
  it('are read from clean runs: every call of the Atlas flow, in provisioning, teardown and undo', () => {
    expect(clean.provision.result.status).toBe('READY');
    expect(clean.teardown?.result.status).toBe('DELETED');
    expect(provisionOps.map((u) => u.operation).sort()).toEqual(
      [
        'createEndpoint',
        'createEndpointService',
        'getCluster',
        'getEndpoint',
        'getEndpointService',
        'getToken',
        'listEndpointServices',
      ].sort(),
    );
    expect(teardownOps.map((u) => u.operation)).toEqual(expect.arrayContaining(['getEndpoint', 'deleteEndpoint']));
    expect(undoOps.map((u) => u.operation).sort()).toEqual(['deleteEndpoint', 'deleteEndpointService']);
    // every operation the sandbox's Atlas answers is exercised by one phase or another
    const all = new Set([...provisionOps, ...teardownOps, ...undoOps].map((u) => u.operation));
    expect([...ATLAS_OPERATIONS].filter((op) => !all.has(op))).toEqual([]);
  });
});

describe('provisioning', () => {
  for (const { operation, status, step } of provisionOps.map((use, index) => ({ ...use, status: transient(index) })))
    it(`atlas:${operation}:${status}:2 (first called in ${step}): READY all the same`, async () => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.provision('atlas-cluster.json', ['--fault', `atlas:${operation}:${status}:2`]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.result.status).toBe('READY');
        expect(run.result.vendor?.connectionStatus).toBe('AVAILABLE');
        expect(calls(run.result, operation)).toBeGreaterThanOrEqual(3);
        const inventory = await sandbox.inventory();
        expect(inventory.endpoints).toHaveLength(1);
        expect(inventory.atlas.endpoints).toHaveLength(1);
      });
      passed++;
    });

  for (const { code, operation, status, step } of provisionOps.map((use) => ({
    ...use,
    status: terminal(use.operation),
    code: atlasCode(use.operation),
  })))
    it(`atlas:${operation}:${status}:1: FAILED at ${step} with ${code}, nothing left at Atlas or in AWS`, async () => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.provision('atlas-cluster.json', ['--fault', `atlas:${operation}:${status}:1`]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.result.status).toBe('FAILED');
        expect(run.result.error).toMatchObject({ code, step });
        expect(run.result.error?.message).toContain(`atlas:${operation}`);
        await expectNothingLeft(sandbox);
      });
      passed++;
    });
});

describe('teardown', () => {
  for (const { operation, status } of teardownOps.map((use, index) => ({ ...use, status: transient(index) })))
    it(`atlas:${operation}:${status}:2: DELETED all the same, nothing left`, async () => {
      await withProvisioned(async (sandbox) => {
        const down = await sandbox.teardown(REQUEST_ID, ['--fault', `atlas:${operation}:${status}:2`]);
        expect(down.code, down.stderr).toBe(0);
        expect(down.result.status).toBe('DELETED');
        await expectNothingLeft(sandbox);
      });
      passed++;
    });

  for (const { code, operation, status } of teardownOps.map((use) => ({
    ...use,
    status: terminal(use.operation),
    code: atlasCode(use.operation),
  })))
    it(`atlas:${operation}:${status}:1: FAILED with ${code}, a second teardown finishes the job`, async () => {
      await withProvisioned(async (sandbox) => {
        const failed = await sandbox.teardown(REQUEST_ID, ['--fault', `atlas:${operation}:${status}:1`]);
        expect(failed.code, failed.stderr).toBe(1);
        expect(failed.result).toMatchObject({ status: 'FAILED', error: { code, step: 'RemoveResources' } });
        expect(failed.result.error?.message).toContain(`atlas:${operation}`);
        const again = await sandbox.teardown(REQUEST_ID);
        expect(again.code, again.stderr).toBe(0);
        expect(again.result.status).toBe('DELETED');
        await expectNothingLeft(sandbox);
      });
      passed++;
    });
});

describe('undoing after a failure', () => {
  for (const { operation, trigger } of undoOps)
    it(`atlas:${operation}:503:2 in the undo of atlas:${trigger}:400: the original failure, nothing left`, async () => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.provision('atlas-cluster.json', [
          ...['--fault', `atlas:${trigger}:400:1`],
          ...['--fault', `atlas:${operation}:503:2`],
        ]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.result.error?.code).toBe('VALIDATION_ERROR');
        expect(run.result.error?.message).toContain(`atlas:${trigger}`);
        expect(calls(run.result, operation)).toBeGreaterThanOrEqual(3);
        await expectNothingLeft(sandbox);
      });
      passed++;
    });

  for (const { operation, trigger } of undoOps)
    it(`atlas:${operation}:400:1 in the undo of atlas:${trigger}:400: the original failure stays the headline, a teardown finishes`, async () => {
      await withSandbox(async (sandbox) => {
        const run = await sandbox.provision('atlas-cluster.json', [
          ...['--fault', `atlas:${trigger}:400:1`],
          ...['--fault', `atlas:${operation}:400:1`],
        ]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.result.status).toBe('FAILED');
        expect(run.result.error?.code).toBe('VALIDATION_ERROR');
        expect(run.result.error?.message).toContain(`atlas:${trigger}`);
        expect(run.result.kept?.join(' ')).toMatch(/teardown/);
        const down = await sandbox.teardown(REQUEST_ID);
        expect(down.code, down.stderr).toBe(0);
        expect(down.result.status).toBe('DELETED');
        await expectNothingLeft(sandbox);
      });
      passed++;
    });
});

describe('404s, as Atlas means them', () => {
  const stepOf = (operation: string) => provisionOps.find((u) => u.operation === operation)?.step;

  it(`atlas:getCluster:404:1: the cluster is not there, FAILED at ${stepOf('getCluster')} with RESOURCE_NOT_FOUND, nothing left`, async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision('atlas-cluster.json', ['--fault', 'atlas:getCluster:404:1']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.result.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', step: stepOf('getCluster') });
      await expectNothingLeft(sandbox);
    });
    passed++;
  });

  it(`atlas:getEndpointService:404:1 while Atlas creates it: the service is gone, FAILED at ${stepOf('getEndpointService')}, nothing left`, async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision('atlas-cluster.json', ['--fault', 'atlas:getEndpointService:404:1']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.result.error).toMatchObject({
        code: 'AtlasEndpointServiceGone',
        step: stepOf('getEndpointService'),
      });
      await expectNothingLeft(sandbox);
    });
    passed++;
  });

  it('atlas:deleteEndpoint:404:1 in teardown (gone already, as a DELETE may say): DELETED, nothing left', async () => {
    await withProvisioned(async (sandbox) => {
      const down = await sandbox.teardown(REQUEST_ID, ['--fault', 'atlas:deleteEndpoint:404:1']);
      expect(down.code, down.stderr).toBe(0);
      expect(down.result.status).toBe('DELETED');
      await expectNothingLeft(sandbox);
    });
    passed++;
  });
});

describe("409: a second endpoint service for the project's region", () => {
  it('created by a rival between our list and our create: adopted, READY, not ours to delete', async () => {
    await withSandbox(async (sandbox) => {
      const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seedFile });
      const simulated = env.sandbox;
      if (!simulated) throw new Error('no sandbox');
      // The rival (another request, a person in the Atlas UI) creates the service just before our create
      // reaches Atlas, which then answers ours with its real 409.
      let rivals = 0;
      const restore = useAtlasTransport(async (url, init) => {
        const create = init.method === 'POST' && new URL(url).pathname.endsWith('/privateEndpoint/endpointService');
        if (create && rivals++ === 0) {
          const rival = await simulated.atlasFetch(url, { ...init });
          expect(rival.status).toBe(200);
        }
        return simulated.atlasFetch(url, init);
      });
      let result: ProvisionResult;
      try {
        const start = await startProvision(env, requireProvisionRequest(request));
        if (start.kind !== 'started') throw new Error('not started');
        result = await start.execution;
      } finally {
        restore();
        await env.close();
      }
      expect(rivals).toBe(1);
      expect(result.status).toBe('READY');
      expect(result.service?.created).toBe(false);
      const inventory = await sandbox.inventory();
      expect(inventory.atlas.endpointServices).toHaveLength(1);
      expect(result.vendor?.endpointServiceId).toBe(inventory.atlas.endpointServices[0]?.id);
      const down = await sandbox.teardown(REQUEST_ID);
      expect(down.result.status).toBe('DELETED');
      expect(down.result.undone?.join(' ')).not.toMatch(/deleted Atlas endpoint service/);
    });
    passed++;
  });

  it('atlas:createEndpointService:409 with no service to adopt: FAILED clearly at EnsureEndpointService, nothing left', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision('atlas-cluster.json', ['--fault', 'atlas:createEndpointService:409']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.result.error).toMatchObject({
        code: 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
        step: 'EnsureEndpointService',
      });
      expect(run.result.error?.message).toContain('US_EAST_1');
      await expectNothingLeft(sandbox);
    });
    passed++;
  });

  it('an unknown Atlas operation in --fault is refused (exit 2) before anything runs', async () => {
    await withSandbox(async (sandbox) => {
      const run = await sandbox.provision('atlas-cluster.json', ['--fault', 'atlas:createEndpointServices:409']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('createEndpointService');
      const inventory = await sandbox.inventory();
      expect(inventory.endpoints).toEqual([]);
      expect(inventory.atlas.endpointServices).toEqual([]);
    });
    passed++;
  });
});
