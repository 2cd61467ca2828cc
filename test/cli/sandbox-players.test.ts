// The sandbox's other players, from the command line: the vendor that accepts or rejects an endpoint
// on its service, and the other party of a hand-off that creates its endpoint (two terminals).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { loadSeed, Sandbox } from '../../src/core/sandbox/index.ts';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';
import { spawnCli } from '../support/cli-process.ts';

/** The seed's vendor service that requires acceptance (a Pinecone-style vendor). */
const VENDOR_SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-05ef6f1f0b9130b54';
const VPC = 'vpc-0a1b2c3d4e5f67890';
const SUBNETS = ['subnet-0a1b2c3d4e5f67890', 'subnet-1a2b3c4d5e6f78901'];

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** An endpoint of the sandbox account to the vendor's service, waiting for the vendor. */
async function pendingVendorEndpoint(): Promise<string> {
  const simulated = (await Sandbox.load(sandbox.dir)) ?? Sandbox.fromSeed(await loadSeed(sandbox.seed));
  const { endpointId } = await simulated.createConsumerEndpoint({
    accountId: simulated.accountId,
    vpcId: VPC,
    subnetIds: SUBNETS,
    serviceName: VENDOR_SERVICE,
  });
  await simulated.save(sandbox.dir);
  return endpointId;
}

async function stateOf(endpointId: string): Promise<string | undefined> {
  return (await sandbox.inventory()).endpoints.find((e) => e.endpointId === endpointId)?.state;
}

describe('sandbox vendor accept|reject', () => {
  it('accept: the pending endpoint goes on to pending, and that is saved', async () => {
    const endpointId = await pendingVendorEndpoint();
    expect(await stateOf(endpointId)).toBe('pendingAcceptance');
    const run = await sandbox.cli(['sandbox', 'vendor', 'accept', '--endpoint-id', endpointId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      endpointId,
      serviceId: 'vpce-svc-05ef6f1f0b9130b54',
      state: 'pending',
      decision: 'accept',
    });
    expect(run.stderr).toContain(`the vendor accepted ${endpointId} on vpce-svc-05ef6f1f0b9130b54`);
    expect(await stateOf(endpointId)).toBe('pending');
  });

  it('reject: the endpoint is rejected', async () => {
    const endpointId = await pendingVendorEndpoint();
    const run = await sandbox.cli(['sandbox', 'vendor', 'reject', '--endpoint-id', endpointId]);
    expect(run).toMatchObject({ code: 0, stdout: `${endpointId} rejected` });
    expect(await stateOf(endpointId)).toBe('rejected');
  });

  it('refuses, exit 2, what the vendor cannot decide: decided already, unknown, not a vendor’s', async () => {
    const endpointId = await pendingVendorEndpoint();
    await sandbox.cli(['sandbox', 'vendor', 'accept', '--endpoint-id', endpointId]);
    const again = await sandbox.cli(['sandbox', 'vendor', 'reject', '--endpoint-id', endpointId, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error).toEqual({
      code: 'VendorActionError',
      message: `${endpointId} is pending, not pendingAcceptance: there is nothing to reject`,
    });
    const unknown = await sandbox.cli(['sandbox', 'vendor', 'accept', '--endpoint-id', 'vpce-0123456789abcdef0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no endpoint vpce-0123456789abcdef0 exists');

    const { result } = await sandbox.provision('orders-nlb-tcp.json');
    const ours = result.endpoint?.endpointId ?? '';
    const notVendor = await sandbox.cli(['sandbox', 'vendor', 'accept', '--endpoint-id', ours]);
    expect(notVendor.code).toBe(2);
    expect(notVendor.stderr).toContain('a service of the sandbox account');
  });
});

describe('sandbox consumer create-endpoint', () => {
  it('refuses a request that is unknown, not a hand-off, or not waiting (exit 2)', async () => {
    const unknown = await sandbox.cli(['sandbox', 'consumer', 'create-endpoint', '--request-id', 'nobody', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('NotFound');
    const { result } = await sandbox.provision('atlas-replica-set.json');
    const own = await sandbox.cli([
      'sandbox',
      'consumer',
      'create-endpoint',
      '--request-id',
      result.requestId,
      '--json',
    ]);
    expect(own.code).toBe(2);
    expect(JSON.parse(own.stdout).error).toMatchObject({ code: 'NotAHandOff' });
  });

  it('plays the other party end to end: provision waits in one process, the endpoint and finalize come from another', async () => {
    const child = spawnCli([
      ...['provision', '--request', 'examples/partner-hand-off-nlb.json', '--json'],
      ...['--sandbox-state', sandbox.dir, '--sandbox-seed', sandbox.seed],
    ]);
    try {
      let waiting: ProvisionResult | undefined;
      // The status turns WAITING_FOR_CONSUMER as the wait starts; its action is recorded a moment later.
      for (let i = 0; i < 600 && !(waiting?.status === 'WAITING_FOR_CONSUMER' && waiting.actions?.length); i++) {
        const run = await sandbox.cli(['status', '--request-id', 'orders-db-partner', '--json']);
        if (run.code === 0) waiting = JSON.parse(run.stdout) as ProvisionResult;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(waiting?.status, child.stderr()).toBe('WAITING_FOR_CONSUMER');
      // status shows who must act, with the command on a line of its own.
      const status = await sandbox.cli(['status', '--request-id', 'orders-db-partner']);
      const action = waiting?.actions?.[0];
      expect(action?.who).toBe('consumer');
      if (action?.command) expect(status.stdout).toContain(`\n    ${action.command}`);
      // So does list, below the request's line.
      const listed = (await sandbox.cli(['list'])).stdout.split('\n');
      const row = listed.findIndex((l) => l.startsWith('orders-db-partner '));
      expect(listed[row]).toMatch(/^orders-db-partner\s+WAITING_FOR_CONSUMER\s+WaitForConsumer\s+-\s/);
      expect(listed[row + 1]).toBe(`    waiting on the other party (consumer): ${action?.what}`);
      expect(listed[row + 2]).toBe(`      ${action?.command}`);

      const created = await sandbox.cli([
        ...['sandbox', 'consumer', 'create-endpoint', '--request-id', 'orders-db-partner', '--json'],
      ]);
      expect(created.code, created.stderr).toBe(0);
      const { endpointId, accountId } = JSON.parse(created.stdout) as { endpointId: string; accountId: string };
      expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
      expect(accountId).toBe('444455556666');
      expect(created.stderr).toContain(
        `privatelink finalize --request-id orders-db-partner --endpoint-id ${endpointId}`,
      );

      // A mistyped id is refused (exit 2) and the wait goes on.
      const mistyped = await sandbox.cli([
        ...['finalize', '--request-id', 'orders-db-partner', '--endpoint-id', 'vpce-0123456789abcdef0', '--json'],
      ]);
      expect(mistyped.code, mistyped.stderr).toBe(2);
      expect(JSON.parse(mistyped.stdout).error.code).toBe('ConsumerEndpointNotFound');
      const still = await sandbox.cli(['status', '--request-id', 'orders-db-partner', '--json']);
      expect(JSON.parse(still.stdout).status).toBe('WAITING_FOR_CONSUMER');

      const finalized = await sandbox.cli([
        'finalize',
        '--request-id',
        'orders-db-partner',
        '--endpoint-id',
        endpointId,
      ]);
      expect(finalized.code, finalized.stderr).toBe(0);
      expect(await child.exited, child.stderr()).toBe(0);
      const result = JSON.parse(child.stdout()) as ProvisionResult;
      expect(result.status).toBe('READY');
      expect(result.endpoint?.endpointId).toBe(endpointId);
      // The progress said who had to act.
      expect(child.stderr()).toContain('WAITING_FOR_CONSUMER');
    } finally {
      child.kill();
    }
  }, 120_000);
});
