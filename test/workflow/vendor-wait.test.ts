// service.vendor "pinecone": a vendor without an API. The endpoint waits in WAITING_FOR_VENDOR with the
// exact console action until the vendor acts. On the default seed Pinecone's service never acts on
// its own, so, as a user would, one terminal runs `provision` (a process of its own) while another plays
// the vendor (`sandbox vendor accept|reject`) or moves the clock past the deadline (`sandbox advance`).
// A seed with vendorAcceptsAfterSeconds finishes by itself. Pinecone's private zone and wildcard, as
// Pinecone documents them (VENDORS.md §3).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { vendorAction } from '../../src/core/domain/vendors.ts';
import { Sandbox } from '../../src/core/sandbox/index.ts';
import { type CliProcess, spawnCli } from '../support/cli-process.ts';
import { eventually, readExample, type VendorSandbox, vendorSandbox } from '../support/vendor-sandbox.ts';

const REQUEST_ID = 'pinecone-my-index';
const PINECONE_SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54';
const PRIVATE_ZONE = 'private.aped-4627-b74a.pinecone.io';

let sandbox: VendorSandbox;
let terminal: CliProcess | undefined;
beforeEach(async () => {
  sandbox = await vendorSandbox();
});
afterEach(async () => {
  terminal?.kill();
  terminal = undefined;
  await sandbox.cleanup();
});

/** Terminal 1: `privatelink provision --request FILE --json` on the test's sandbox. */
function provisionInTerminal(file: string): CliProcess {
  terminal = spawnCli([
    ...['provision', '--request', file, '--json'],
    ...['--sandbox-state', sandbox.dir, '--sandbox-seed', sandbox.seedFile],
  ]);
  return terminal;
}

/** The status another terminal sees once the run has stopped PROVISIONING (or has ended). */
async function statusOnceWaiting(): Promise<ProvisionResult> {
  return eventually(
    async () => {
      const run = await sandbox.status(REQUEST_ID);
      return run.code === 2 ? undefined : run.result;
    },
    (result) => result !== undefined && result.status !== 'PROVISIONING',
    'a status past PROVISIONING',
  ).then((result) => result ?? ({} as ProvisionResult));
}

/** It waits for the vendor as the contract says: the status, the action, the CLI's progress line. */
async function expectWaitingForVendor(run: CliProcess): Promise<string> {
  const waiting = await statusOnceWaiting();
  expect(waiting.status, JSON.stringify(waiting)).toBe('WAITING_FOR_VENDOR');
  const endpointId = waiting.actions?.[0]?.endpointId ?? '';
  expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
  const what = vendorAction('pinecone', endpointId, 'us-east-1');
  expect(waiting.actions).toEqual([{ who: 'vendor', endpointId, what }]);
  await run.stderrMatching(new RegExp(`WAITING_FOR_VENDOR.*${endpointId}`));
  expect(run.stderr()).toContain(what);
  const listed = await sandbox.cli(['list']);
  expect(listed.stdout).toContain(what);
  // Nobody has acted: a moment later it still waits (it does not run the deadline out on its own).
  await new Promise((r) => setTimeout(r, 1000));
  expect((await sandbox.status(REQUEST_ID)).result.status).toBe('WAITING_FOR_VENDOR');
  expect(run.child.exitCode).toBeNull();
  return endpointId;
}

async function resultOf(run: CliProcess): Promise<{ code: number | null; result: ProvisionResult }> {
  const code = await run.exited;
  try {
    return { code, result: JSON.parse(run.stdout()) as ProvisionResult };
  } catch {
    throw new Error(`terminal 1 printed no result (exit ${code}):\n${run.stderr()}`);
  }
}

async function expectNothingLeft() {
  const inventory = await sandbox.inventory();
  expect(inventory.endpoints).toEqual([]);
  expect(inventory.hostedZones).toEqual([]);
  const account = await Sandbox.load(sandbox.dir);
  const rules = (await account?.handle('ec2', 'DescribeSecurityGroupRules', {
    Filters: [{ Name: 'tag:privatelink:request-id', Values: [REQUEST_ID] }],
  })) as { SecurityGroupRules?: unknown[] };
  expect(rules.SecurityGroupRules ?? []).toEqual([]);
}

/** Pinecone's private DNS: the zone private.<env>.pinecone.io with one wildcard alias to the endpoint. */
function expectPineconeDns(result: ProvisionResult) {
  expect(result.dns?.zones.map((z) => z.name)).toEqual([PRIVATE_ZONE]);
  expect(result.dns?.records).toEqual([
    expect.objectContaining({
      name: `*.${PRIVATE_ZONE}`,
      type: 'A',
      aliasTarget: expect.objectContaining({ dnsName: result.endpoint?.dnsName }),
    }),
  ]);
  expect(result.connectionStrings).toEqual({ url: `https://my-index-abc1234.svc.${PRIVATE_ZONE}` });
}

describe('examples/pinecone-index.json on the default seed (Pinecone never acts on its own)', () => {
  it('waits in WAITING_FOR_VENDOR with the console action; `sandbox vendor accept` from another terminal finishes it READY', async () => {
    const run = provisionInTerminal('examples/pinecone-index.json');
    const endpointId = await expectWaitingForVendor(run);

    const accepted = await sandbox.cli(['sandbox', 'vendor', 'accept', '--endpoint-id', endpointId]);
    expect(accepted.code, accepted.stderr).toBe(0);

    const { code, result } = await resultOf(run);
    expect(code, run.stderr()).toBe(0);
    expect(result.status).toBe('READY');
    expect(result.service).toMatchObject({ serviceName: PINECONE_SERVICE, created: false });
    expect(result.endpoint).toMatchObject({ endpointId, state: 'available' });
    expect(result.actions).toBeUndefined();
    expectPineconeDns(result);
  }, 60_000);

  it('`sandbox vendor reject` from another terminal: FAILED (EndpointRejected), nothing left', async () => {
    const run = provisionInTerminal('examples/pinecone-index.json');
    const endpointId = await expectWaitingForVendor(run);

    const rejected = await sandbox.cli(['sandbox', 'vendor', 'reject', '--endpoint-id', endpointId]);
    expect(rejected.code, rejected.stderr).toBe(0);

    const { code, result } = await resultOf(run);
    expect(code, run.stderr()).toBe(1);
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ code: 'EndpointRejected', step: 'CheckEndpoint' });
    expect(result.undone?.join(' ')).toContain(endpointId);
    await expectNothingLeft();
  }, 60_000);

  it('vendorDeadlineSeconds passing (`sandbox advance` from another terminal): FAILED (VendorDeadlineExceeded), nothing left', async () => {
    const deadline = 3600;
    const file = await sandbox.requestFile({
      ...(await readExample('pinecone-index.json')),
      vendorDeadlineSeconds: deadline,
    });
    const run = provisionInTerminal(file);
    await expectWaitingForVendor(run);

    const moved = await sandbox.cli(['sandbox', 'advance', '--seconds', String(deadline + 1)]);
    expect(moved.code, moved.stderr).toBe(0);

    const { code, result } = await resultOf(run);
    expect(code, run.stderr()).toBe(1);
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ code: 'VendorDeadlineExceeded', step: 'CheckEndpoint' });
    await expectNothingLeft();
  }, 60_000);
});

describe('a seed whose vendor accepts after vendorAcceptsAfterSeconds', () => {
  it('shows the action while it waits, then finishes READY by itself with Pinecone’s private zone', async () => {
    const accepting = await vendorSandbox((seed) => {
      const service = seed.endpointServices.find((s) => s.serviceName === PINECONE_SERVICE);
      if (!service) throw new Error('the default seed has no Pinecone service');
      service.vendorAcceptsAfterSeconds = 300;
    });
    try {
      const run = await accepting.provision('pinecone-index.json');
      expect(run.code, run.stderr).toBe(0);
      expect(run.result.status).toBe('READY');
      const endpointId = run.result.endpoint?.endpointId ?? '';
      expect(run.stderr).toContain(vendorAction('pinecone', endpointId, 'us-east-1'));
      expect(run.result.stats?.simulatedSeconds).toBeGreaterThanOrEqual(300);
      expectPineconeDns(run.result);
      const inventory = await accepting.inventory();
      expect(inventory.hostedZones.map((z) => z.name)).toEqual([PRIVATE_ZONE]);
    } finally {
      await accepting.cleanup();
    }
  });
});
