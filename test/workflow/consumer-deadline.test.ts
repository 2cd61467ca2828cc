// consumer.external: WaitForConsumer's TimeoutSeconds is a deadline on the sandbox's simulated clock.
// Past it the workflow fails cleanly at WaitForConsumer with States.Timeout, undoes the endpoint service
// it made, publishes Private Endpoint Failed, and a late finalize hears that nothing waits.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localHttpHandler } from '../../src/cli/serve-app.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import { eventLog } from '../../src/core/app/event-log.ts';
import { handOffFor } from '../../src/core/app/hand-off.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { currentResult } from '../../src/core/app/teardown.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { loadDefinition } from '../../src/core/runner/definitions.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { spawnCli } from '../support/cli-process.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';
import { validateAgainst } from '../support/json-schema.ts';

/** The deadline as the definition sets it (whatever the ASL says, the test follows). */
const timeoutSeconds = Number(loadDefinition('provision').States.WaitForConsumer?.TimeoutSeconds);
const EMPTY = EMPTY_INVENTORY;

let sandbox: SandboxDir;
beforeEach(async () => {
  sandbox = await sandboxDir();
});
afterEach(async () => {
  await sandbox.cleanup();
});

async function partnerRequest(requestId: string, accountId: string) {
  return { ...(await example('orders-nlb-tcp.json')), requestId, consumer: { external: { accountId } } };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened; last saw ${JSON.stringify(last)}`);
}

/** The Failed event for the request: one, schema-valid, its detail the result without run statistics. */
async function expectFailedEvent(result: ProvisionResult) {
  const recorded = await eventLog(sandbox.dir).read({ requestId: result.requestId });
  expect(recorded.map((r) => r.event['detail-type'])).toEqual(['Private Endpoint Failed']);
  const { stats: _stats, ...detail } = result;
  expect(recorded[0]?.event.detail).toEqual(detail);
  expect(validateAgainst('private-endpoint-failed.json', recorded[0]?.event)).toEqual([]);
}

describe('the deadline of a wait for the other party', () => {
  it('is the state TimeoutSeconds on the sandbox clock: one second short it still waits, past it it fails cleanly', async () => {
    expect(timeoutSeconds).toBeGreaterThan(1);
    const env: Environment = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
    try {
      const simulated = env.sandbox;
      if (!simulated) throw new Error('no sandbox');
      const request = requireProvisionRequest(await partnerRequest('orders-partner', simulated.accountId));
      const start = await startProvision(env, request);
      if (start.kind !== 'started') throw new Error('not started');
      const waiting = await eventually(
        () => currentResult(env, request.requestId),
        (r) => r?.status !== 'PROVISIONING',
        'WAITING_FOR_CONSUMER',
      );
      expect(waiting?.status).toBe('WAITING_FOR_CONSUMER');
      expect(simulated.inventory().endpointServices).toHaveLength(1);

      simulated.advance(timeoutSeconds - 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(await handOffFor(env.stateDir).isWaiting(request.requestId)).toBe(true);
      expect((await currentResult(env, request.requestId))?.status).toBe('WAITING_FOR_CONSUMER');

      simulated.advance(2);
      const result = await start.execution;
      expect(result.status).toBe('FAILED');
      expect(result.error).toEqual({
        code: 'States.Timeout',
        step: 'WaitForConsumer',
        message: `the other party reported no endpoint within ${timeoutSeconds} seconds (the waiting state's TimeoutSeconds)`,
      });
      expect(result.undone?.some((u) => u.includes('vpce-svc-'))).toBe(true);
      expect(simulated.inventory()).toEqual(EMPTY);
      await expectFailedEvent(result);

      // Too late: the token is gone, so finalize answers 409 as for any request that does not wait.
      const app = localHttpHandler(env, { log: () => {} });
      const late = await app.handle({
        rawPath: '/endpoints/orders-partner/finalize',
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpointId: 'vpce-0123456789abcdef0' }),
        requestContext: { http: { method: 'POST' } },
      });
      expect(late.statusCode).toBe(409);
      expect(JSON.parse(late.body).error.code).toBe('NotWaitingForConsumer');
    } finally {
      await env.close();
    }
  });

  it('`privatelink sandbox advance` from another process fails a `provision` that waits; a late finalize exits 2', async () => {
    const file = join(sandbox.dir, '..', 'partner.json');
    const { accountId } = JSON.parse(await readFile(sandbox.seed, 'utf8')) as { accountId: string };
    await writeFile(file, JSON.stringify(await partnerRequest('orders-late-partner', accountId)));
    // The waiting workflow runs in its own process, as when a user runs provision in one terminal.
    const child = spawnCli([
      ...['provision', '--request', file, '--json'],
      ...['--sandbox-state', sandbox.dir, '--sandbox-seed', sandbox.seed],
    ]);
    try {
      const waiting = await eventually(
        async () => {
          const run = await sandbox.cli(['status', '--request-id', 'orders-late-partner', '--json']);
          return run.code === 0 ? (JSON.parse(run.stdout) as ProvisionResult).status : `exit ${run.code}`;
        },
        (status) => status !== 'PROVISIONING' && status !== 'exit 2',
        `WAITING_FOR_CONSUMER (${child.stderr()})`,
      );
      expect(waiting).toBe('WAITING_FOR_CONSUMER');

      const moved = await sandbox.cli(['sandbox', 'advance', '--seconds', String(timeoutSeconds + 1), '--json']);
      expect(moved.code, moved.stderr).toBe(0);
      expect(JSON.parse(moved.stdout).advancedSeconds).toBe(timeoutSeconds + 1);

      expect(await child.exited, child.stderr()).toBe(1);
      const result = JSON.parse(child.stdout()) as ProvisionResult;
      expect(result.status).toBe('FAILED');
      expect(result.error?.code).toBe('States.Timeout');
      expect(result.error?.step).toBe('WaitForConsumer');
      expect(await sandbox.inventory()).toEqual(EMPTY);
      await expectFailedEvent(result);

      const late = await sandbox.cli([
        'finalize',
        '--request-id',
        'orders-late-partner',
        '--endpoint-id',
        'vpce-0123456789abcdef0',
      ]);
      expect(late.code).toBe(2);
      expect(late.stderr).toContain('is not waiting for the other party');
    } finally {
      child.kill();
    }
  }, 30_000);

  it('`sandbox advance` refuses a missing, zero, negative or non-numeric --seconds, and --aws', async () => {
    for (const seconds of [[], ['--seconds', '0'], ['--seconds', '-5'], ['--seconds', 'soon'], ['--seconds', '']]) {
      const run = await sandbox.cli(['sandbox', 'advance', ...seconds]);
      expect(run.code, seconds.join(' ')).toBe(2);
      expect(run.stderr).toContain('--seconds');
    }
    const aws = await sandbox.cli(['sandbox', 'advance', '--seconds', '5', '--aws']);
    expect(aws.code).toBe(2);
  });
});
