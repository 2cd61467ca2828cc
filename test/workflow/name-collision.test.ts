// The README's Slack example, as it used to go wrong: cluster1 with its own host but cluster0's srvHost.
// It is refused before anything is created, naming cluster0; cluster0 keeps every record; once cluster0
// is torn down, cluster1 goes through. Two colliding requests started at once from two processes:
// exactly one runs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { refuseNamesHeldInAccount } from '../../src/core/app/name-claims.ts';
import { route53Client } from '../../src/core/aws/clients.ts';
import { buildRoute53Adapter } from '../../src/core/aws/route53.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import { NameCollisionError } from '../../src/core/errors.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { spawnCli } from '../support/cli-process.ts';
import { startServe } from '../support/serve.ts';

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

async function cluster1(): Promise<Record<string, unknown>> {
  const cluster0 = await example('atlas-replica-set.json');
  const target = cluster0.target as Record<string, unknown>;
  return {
    ...cluster0,
    requestId: 'cluster1-app-prod',
    target: { ...target, host: 'pl-1-us-east-1-k45tj.mongodb.net' },
  };
}

const everything = async () => JSON.stringify(await sandbox.inventory());

describe('a request that would write another request’s names', () => {
  it('is refused before anything is created, naming the other request, and the first keeps its records', async () => {
    expect((await sandbox.provision('atlas-replica-set.json')).result.status).toBe('READY');
    const before = await everything();

    const refused = await sandbox.provision(await cluster1());
    expect(refused.code).toBe(2);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe('NameCollision');
    expect(error.message).toContain('SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net');
    expect(error.message).toContain('request cluster0-app-prod');
    expect(await everything()).toBe(before);
    expect((await sandbox.cli(['status', '--request-id', 'cluster1-app-prod', '--json'])).code).toBe(2);

    expect((await sandbox.cli(['teardown', '--request-id', 'cluster0-app-prod', '--json'])).code).toBe(0);
    const after = await sandbox.provision(await cluster1());
    expect(after.result.status).toBe('READY');
  });

  it('started together with the request it collides with, from two terminals: one runs to READY, the other is refused', async () => {
    const file = join(sandbox.dir, '..', 'cluster1.json');
    await writeFile(file, JSON.stringify(await cluster1()));
    const state = ['--sandbox-state', sandbox.dir, '--sandbox-seed', sandbox.seed, '--json'];
    const runs = [
      spawnCli(['provision', '--request', 'examples/atlas-replica-set.json', ...state]),
      spawnCli(['provision', '--request', file, ...state]),
    ];
    await Promise.all(runs.map((run) => run.exited));
    const outcomes = runs.map((run) => {
      const out = JSON.parse(run.stdout());
      return out.status ?? out.error?.code;
    });
    console.log(`name collision, two processes at once: ${outcomes.sort().join(', ')}`);
    expect(outcomes).toEqual(['NameCollision', 'READY']);
    const inventory = await sandbox.inventory();
    expect(inventory.endpoints.filter((e) => e.state !== 'deleted')).toHaveLength(1);
  });
});

describe('over HTTP (serve)', () => {
  it('answers 409 NameCollision, naming the request that holds the name', async () => {
    const served = await startServe();
    try {
      expect((await served.call('POST', '/endpoints', await example('atlas-replica-set.json'))).status).toBe(202);
      expect((await served.until('cluster0-app-prod', ['READY', 'FAILED'])).status).toBe('READY');
      const refused = await served.call('POST', '/endpoints', await cluster1());
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('NameCollision');
      expect(refused.body.error.message).toContain('request cluster0-app-prod');
      expect((await served.call('GET', '/endpoints/cluster1-app-prod')).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});

describe('in the deployed API (Route 53 read before the first execution)', () => {
  it('names the request whose zone holds the name; the holder itself and a request with its own names pass', async () => {
    expect((await sandbox.provision('atlas-replica-set.json')).result.status).toBe('READY');
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed, readOnly: true });
    try {
      const route53 = buildRoute53Adapter(route53Client());
      const refusal = await refuseNamesHeldInAccount(requireProvisionRequest(await cluster1()), route53).catch(
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(NameCollisionError);
      expect((refusal as NameCollisionError).otherRequestId).toBe('cluster0-app-prod');
      expect((refusal as Error).message).toContain('SRV _mongodb._tcp.cluster0-pl-0-k45tj.mongodb.net');
      const cluster0 = requireProvisionRequest(await example('atlas-replica-set.json'));
      await expect(refuseNamesHeldInAccount(cluster0, route53)).resolves.toBeUndefined();
      const orders = requireProvisionRequest(await example('orders-nlb-tcp.json'));
      await expect(refuseNamesHeldInAccount(orders, route53)).resolves.toBeUndefined();
    } finally {
      await env.close();
    }
  });
});
