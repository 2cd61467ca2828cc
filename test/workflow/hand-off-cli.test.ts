// consumer.external from the command line alone, as two people would run it in two terminals on one
// sandbox directory: terminal 1 runs `provision` and waits; terminal 2 plays the other party
// (`sandbox consumer create-endpoint`), reports a wrong id (refused, the wait goes on), then the right
// one, and terminal 1 ends READY. For our own NLB service and for Atlas's (Hevo + Atlas). And a wait
// cancelled by `teardown` leaves nothing. Every command is its own `node bin/privatelink.mjs` process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type CliProcess, spawnCli } from '../support/cli-process.ts';
import { atlasReader, eventually, readExample, type VendorSandbox, vendorSandbox } from '../support/vendor-sandbox.ts';

const PARTNER_ACCOUNT = '444455556666';
const PARTNER_VPC = 'vpc-0e4a7b9c2d1f03568';
const PROJECT = '6123456789abcdef01234567';
/** well-formed, but no endpoint of the other party's */
const WRONG_ID = 'vpce-0123456789abcdef0';

let sandbox: VendorSandbox;
const terminals: CliProcess[] = [];
beforeEach(async () => {
  sandbox = await vendorSandbox();
});
afterEach(async () => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  await sandbox.cleanup();
});

function terminal(argv: string[]): CliProcess {
  const run = spawnCli([...argv, '--sandbox-state', sandbox.dir, '--sandbox-seed', sandbox.seedFile]);
  terminals.push(run);
  return run;
}

/** Terminal 2: one command, run to its end. */
async function inTerminal2(argv: string[]) {
  const run = terminal(argv);
  const code = await run.exited;
  return { code, stdout: run.stdout().trim(), stderr: run.stderr() };
}

async function waitingStatus(requestId: string): Promise<ProvisionResult> {
  const result = await eventually(
    async () => {
      const run = await sandbox.status(requestId);
      return run.code === 2 ? undefined : run.result;
    },
    (r) => r !== undefined && r.status !== 'PROVISIONING',
    'a status past PROVISIONING',
  );
  if (!result) throw new Error('no status');
  return result;
}

/** Terminal 1 waits for the other party and says so: WAITING_FOR_CONSUMER and the exact command for them. */
async function expectHandOffWait(t1: CliProcess, requestId: string, serviceName: string, subnets: string[]) {
  const waiting = await waitingStatus(requestId);
  expect(waiting.status, JSON.stringify(waiting)).toBe('WAITING_FOR_CONSUMER');
  const action = waiting.actions?.[0];
  expect(action?.who).toBe('consumer');
  const command = action?.command ?? '';
  expect(command).toMatch(/^aws ec2 create-vpc-endpoint /);
  for (const part of [
    '--vpc-endpoint-type Interface',
    `--service-name ${serviceName}`,
    `--vpc-id ${PARTNER_VPC}`,
    `--subnet-ids ${subnets.join(' ')}`,
    '--region us-east-1',
  ])
    expect(command).toContain(part);
  await t1.stderrMatching(/WAITING_FOR_CONSUMER/);
  await t1.stderrMatching(/aws ec2 create-vpc-endpoint/);
  expect(t1.stderr()).toContain(command);
  expect(action?.what).toContain(PARTNER_ACCOUNT);
  return command;
}

/** The other party creates its endpoint (terminal 2), a mistyped id is refused and the wait goes on. */
async function createThenRefuseWrong(
  t1: CliProcess,
  requestId: string,
): Promise<{ endpointId: string; dnsName: string }> {
  const created = await inTerminal2(['sandbox', 'consumer', 'create-endpoint', '--request-id', requestId, '--json']);
  expect(created.code, created.stderr).toBe(0);
  const { endpointId, dnsName } = JSON.parse(created.stdout) as { endpointId: string; dnsName: string };
  expect(endpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
  // what the other party reports with it, as Hevo does: the endpoint's DNS name
  expect(created.stderr).toContain(`--dns-name ${dnsName}`);

  const wrong = await inTerminal2(['finalize', '--request-id', requestId, '--endpoint-id', WRONG_ID]);
  expect(wrong.code, `finalize of a wrong id: ${wrong.stderr}`).toBe(2);
  expect(wrong.stderr).toContain(WRONG_ID);
  // still waiting: nothing was undone, terminal 1 is still there
  expect((await sandbox.status(requestId)).result.status).toBe('WAITING_FOR_CONSUMER');
  expect(t1.child.exitCode).toBeNull();
  return { endpointId, dnsName };
}

async function finalizeRight(
  t1: CliProcess,
  requestId: string,
  created: { endpointId: string; dnsName: string },
): Promise<ProvisionResult> {
  const right = await inTerminal2([
    'finalize',
    '--request-id',
    requestId,
    '--endpoint-id',
    created.endpointId,
    '--dns-name',
    created.dnsName,
  ]);
  expect(right.code, right.stderr).toBe(0);
  const code = await t1.exited;
  expect(code, t1.stderr()).toBe(0);
  return JSON.parse(t1.stdout()) as ProvisionResult;
}

describe('the hand-off from the CLI alone, two terminals', () => {
  it('our own NLB service (examples/partner-hand-off-nlb.json): the command, a wrong id refused, the right one READY', async () => {
    const requestId = 'orders-db-partner';
    const t1 = terminal(['provision', '--request', 'examples/partner-hand-off-nlb.json', '--json']);
    const waiting = await waitingStatus(requestId);
    const service = (await sandbox.inventory()).endpointServices[0];
    expect(service?.serviceName, JSON.stringify(waiting)).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
    await expectHandOffWait(t1, requestId, service?.serviceName ?? '', ['subnet-0e4a7b9c2d1f03561']);

    const created = await createThenRefuseWrong(t1, requestId);
    const { endpointId } = created;
    expect((await sandbox.inventory()).endpointServices).toHaveLength(1);

    const result = await finalizeRight(t1, requestId, created);
    expect(result.status).toBe('READY');
    expect(result.service).toMatchObject({ serviceId: service?.serviceId, created: true });
    expect(result.endpoint?.endpointId).toBe(endpointId);
    expect(result.endpoint?.state).toBe('available');
    expect(result.actions).toBeUndefined();
    expect(result.connectionStrings).toEqual({ url: 'postgresql://orders-db.internal.example.com:5432' });
  }, 90_000);

  it("Hevo + Atlas (examples/hevo-atlas-hand-off.json): their endpoint registered at Atlas, READY with Atlas's strings and the Database Host", async () => {
    const requestId = 'hevo-cluster0';
    const t1 = terminal(['provision', '--request', 'examples/hevo-atlas-hand-off.json', '--json']);
    await waitingStatus(requestId);
    const atlasService = (await sandbox.inventory()).atlas.endpointServices[0];
    expect(atlasService?.endpointServiceName).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
    await expectHandOffWait(t1, requestId, atlasService?.endpointServiceName ?? '', [
      'subnet-0e4a7b9c2d1f03561',
      'subnet-0e4a7b9c2d1f03562',
    ]);

    const created = await createThenRefuseWrong(t1, requestId);
    const { endpointId } = created;
    const result = await finalizeRight(t1, requestId, created);
    expect(result.status).toBe('READY');
    expect(result.vendor).toMatchObject({
      name: 'atlas',
      endpointServiceId: atlasService?.id,
      connectionStatus: 'AVAILABLE',
    });
    expect(result.endpoint?.endpointId).toBe(endpointId);
    // the "Database Host" Hevo asks for: the endpoint's regional DNS name
    expect(result.endpoint?.dnsName).toMatch(
      new RegExp(`^${endpointId}-[a-z0-9]+\\.vpce-svc-[0-9a-f]{17}\\.us-east-1\\.vpce\\.amazonaws\\.com$`),
    );
    const entry = await (await atlasReader(sandbox.dir, sandbox.seed)).entryFor(PROJECT, 'Cluster0', endpointId);
    expect(entry, 'Atlas lists the partner endpoint in the cluster').toBeDefined();
    expect(result.connectionStrings).toEqual({ standard: entry?.connectionString, srv: entry?.srvConnectionString });
    const inventory = await sandbox.inventory();
    expect(inventory.atlas.endpoints).toEqual([
      expect.objectContaining({ interfaceEndpointId: endpointId, connectionStatus: 'AVAILABLE' }),
    ]);
    // in the other party's account, not ours; and no private zone of ours for Atlas's names
    expect(inventory.endpoints).toEqual([]);
    expect(inventory.hostedZones).toEqual([]);
  }, 90_000);

  it('`teardown` in terminal 2 cancels the wait: terminal 1 ends, nothing is left', async () => {
    const requestId = 'orders-db-partner';
    const t1 = terminal(['provision', '--request', 'examples/partner-hand-off-nlb.json', '--json']);
    expect((await waitingStatus(requestId)).status).toBe('WAITING_FOR_CONSUMER');
    expect((await sandbox.inventory()).endpointServices).toHaveLength(1);

    const down = await inTerminal2(['teardown', '--request-id', requestId, '--json']);
    expect(down.code, down.stderr).toBe(0);
    expect((JSON.parse(down.stdout) as ProvisionResult).status).toBe('DELETED');

    // terminal 1 ends (it does not wait on), saying the request is over
    expect(await t1.exited, t1.stderr()).not.toBeNull();
    expect(['FAILED', 'DELETED']).toContain((JSON.parse(t1.stdout()) as ProvisionResult).status);
    expect(await sandbox.inventory()).toMatchObject({ endpoints: [], endpointServices: [], hostedZones: [] });
    const late = await sandbox.cli(['finalize', '--request-id', requestId, '--endpoint-id', WRONG_ID]);
    expect(late.code).toBe(2);
    expect((await sandbox.status(requestId)).result.status).toBe('DELETED');
  }, 90_000);
});

// The examples this file runs are the ones the README shows; their partner is the seed's other account.
describe('the examples', () => {
  it('name the seed’s other account and its VPC', async () => {
    for (const name of ['partner-hand-off-nlb.json', 'hevo-atlas-hand-off.json']) {
      const consumer = (await readExample(name)).consumer as { external?: { accountId: string; vpcId: string } };
      expect(consumer.external).toMatchObject({ accountId: PARTNER_ACCOUNT, vpcId: PARTNER_VPC });
    }
    const vpcs = sandbox.seed.vpcs as { vpcId: string; accountId?: string }[];
    expect(vpcs.find((v) => v.vpcId === PARTNER_VPC)?.accountId).toBe(PARTNER_ACCOUNT);
  });
});
