// Of concurrent finalize calls for one waiting request exactly one wins, in one process or across
// processes; the others hear FinalizeConflictError (HTTP 409, exit 2), and the waiting workflow gets
// the winner's endpoint. No temporary file is left behind.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHandOff, FinalizeConflictError, NothingWaitingError } from '../../src/core/app/hand-off.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-finalize-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const endpoint = (i: number) => `vpce-${i.toString(16).padStart(17, '0')}`;
const WORKER = new URL('./finalize-worker.ts', import.meta.url).pathname;

function finalizeInChild(requestId: string, endpointId: string): Promise<{ ok?: true; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dir, requestId, endpointId], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(out || '{}')));
  });
}

/** A workflow waiting on the hand-off, and a way to know its token file is there. */
async function waiting(requestId: string) {
  const waiter = new FileHandOff(dir, 10);
  const controller = new AbortController();
  const report = waiter.wait(requestId, `local:${requestId}`, {}, { signal: controller.signal });
  while (!(await waiter.isWaiting(requestId))) await new Promise((r) => setTimeout(r, 5));
  return { report, controller };
}

describe('the finalize race', () => {
  it('10 concurrent finalize calls in one process: 1 wins, 9 get FinalizeConflictError', async () => {
    const { report } = await waiting('race-1');
    // one FileHandOff each, as separate callers (HTTP requests, Slack commands) would
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => new FileHandOff(dir).complete('race-1', { endpointId: endpoint(i) })),
    );
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [endpoint(i)] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    console.log(`finalize race (1 process): ${won.length}/1 won, ${lost.length}/9 conflicts`);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const error of lost) {
      expect(error).toBeInstanceOf(FinalizeConflictError);
      expect(error).toBeInstanceOf(NothingWaitingError);
      expect(error.code).toBe('AlreadyFinalized');
      expect(error.reportedEndpointId).toBe(won[0]);
    }
    expect(await report).toEqual({ endpointId: won[0] });
    // one token file, no temporary file; a late finalize still hears which endpoint was taken
    expect(await readdir(join(dir, 'task-tokens'))).toEqual(['race-1.json']);
    expect(await new FileHandOff(dir).isWaiting('race-1')).toBe(false);
    await expect(new FileHandOff(dir).complete('race-1', { endpointId: endpoint(99) })).rejects.toMatchObject({
      code: 'AlreadyFinalized',
      reportedEndpointId: won[0],
    });
  });

  it('10 finalize processes at once: 1 wins, 9 hear AlreadyFinalized', async () => {
    const { report } = await waiting('race-2');
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => finalizeInChild('race-2', endpoint(i))));
    const won = outcomes.flatMap((o, i) => (o.ok ? [endpoint(i)] : []));
    const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
    console.log(`finalize race (10 processes): ${won.length}/1 won, ${errors.length}/9 conflicts`);
    expect(won).toHaveLength(1);
    expect(errors).toEqual(Array(9).fill('AlreadyFinalized'));
    expect(await report).toEqual({ endpointId: won[0] });
    expect(await readdir(join(dir, 'task-tokens'))).toEqual(['race-2.json']);
  }, 60_000);

  it('a wait that ends without a report (timeout, abort) removes its token: then nothing waits', async () => {
    const { report, controller } = await waiting('race-3');
    controller.abort(new Error('abandoned'));
    await expect(report).rejects.toThrow('abandoned');
    expect(await readdir(join(dir, 'task-tokens'))).toEqual([]);
    await expect(new FileHandOff(dir).complete('race-3', { endpointId: endpoint(1) })).rejects.toMatchObject({
      code: 'NotWaitingForConsumer',
    });
  });

  it('finalize for a request that waits for nothing is NothingWaitingError, not a conflict', async () => {
    const error = await new FileHandOff(dir).complete('nobody', { endpointId: endpoint(1) }).catch((e) => e);
    expect(error).toBeInstanceOf(NothingWaitingError);
    expect(error).not.toBeInstanceOf(FinalizeConflictError);
  });
});
