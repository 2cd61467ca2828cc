// `privatelink list`: the requests this state knows, newest first, with status, step and endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';

let sandbox: SandboxDir;
let ready: ProvisionResult;
let failed: ProvisionResult;
beforeAll(async () => {
  sandbox = await sandboxDir();
  ready = (await sandbox.provision('atlas-replica-set.json')).result;
  const orders = { ...(await example('orders-nlb-tcp.json')), requestId: 'orders-limit' };
  failed = (await sandbox.provision(orders, ['--fault', 'CreateVpcEndpoint:VpcEndpointLimitExceeded'])).result;
  await sandbox.provision('orders-nlb-tcp.json');
  await sandbox.cli(['teardown', '--request-id', 'orders-db-app']);
}, 120_000);
afterAll(async () => {
  await sandbox.cleanup();
});

describe('privatelink list', () => {
  it('an empty state lists nothing, exit 0', async () => {
    const empty = await sandboxDir();
    try {
      expect(await empty.cli(['list'])).toMatchObject({ code: 0, stdout: `(no requests in ${empty.dir})` });
      expect(JSON.parse((await empty.cli(['list', '--json'])).stdout)).toEqual([]);
    } finally {
      await empty.cleanup();
    }
  });

  it('one line per request, newest first: id, status, step, endpoint, start', async () => {
    const run = await sandbox.cli(['list']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^REQUEST\s+STATUS\s+STEP\s+ENDPOINT\s+STARTED$/);
    const rows = lines.slice(1).map((l) => l.split(/\s+/));
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['orders-db-app', 'DELETED', '-'],
      ['orders-limit', 'FAILED', 'CreateInterfaceEndpoint'],
      ['cluster0-app-prod', 'READY', '-'],
    ]);
    expect(rows[2]?.[3]).toBe(ready.endpoint?.endpointId);
    expect(rows[1]?.[3]).toBe('-');
    for (const row of rows) expect(row[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('--json: the results, newest first, as status shows them', async () => {
    const run = await sandbox.cli(['list', '--json']);
    const results = JSON.parse(run.stdout) as ProvisionResult[];
    expect(results.map((r) => r.requestId)).toEqual(['orders-db-app', 'orders-limit', 'cluster0-app-prod']);
    expect(results[2]).toEqual(ready);
    expect(results[1]).toEqual(failed);
    expect(results[1]?.error?.code).toBe('VpcEndpointLimitExceeded');
    const status = await sandbox.cli(['status', '--request-id', 'orders-db-app', '--json']);
    expect(results[0]).toEqual(JSON.parse(status.stdout));
  });

  it('changes nothing: the sandbox is the same before and after', async () => {
    const before = await sandbox.inventory();
    await sandbox.cli(['list']);
    expect(await sandbox.inventory()).toEqual(before);
  });
});
