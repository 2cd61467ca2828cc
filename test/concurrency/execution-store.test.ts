// The execution store under concurrency: each record changes under its own lock, one revision at a
// time; a later attempt's record is never clobbered by an earlier one; no temporary file is left.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ExecutionRecord,
  ExecutionSupersededError,
  FileExecutionStore,
} from '../../src/core/runner/execution-store.ts';
import { processIdentity } from '../../src/core/sandbox/shared-state.ts';

let dir: string;
let store: FileExecutionStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-store-'));
  store = new FileExecutionStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (attempt: number, patch: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  workflow: 'provision',
  requestId: 'r1',
  executionName: attempt === 1 ? 'r1' : `r1-${attempt}`,
  attempt,
  requestHash: 'h',
  input: {},
  status: 'RUNNING',
  startedAt: new Date().toISOString(),
  owner: processIdentity(),
  ...patch,
});

describe('FileExecutionStore.put', () => {
  it('numbers the writes of one execution and refuses a writer that missed one', async () => {
    const first = await store.put(record(1));
    expect(first.revision).toBe(1);
    const second = await store.put({ ...first, currentStep: 'CheckEndpoint' });
    expect(second.revision).toBe(2);
    // a writer still holding revision 1 (someone else wrote 2 since)
    await expect(store.put({ ...first, currentStep: 'Stale' })).rejects.toBeInstanceOf(ExecutionSupersededError);
    expect((await store.get('provision', 'r1'))?.currentStep).toBe('CheckEndpoint');
  });

  it('a later attempt replaces the record; the earlier attempt can no longer write', async () => {
    const one = await store.put(record(1));
    await store.put(record(2));
    const error = await store.put({ ...one, status: 'SUCCEEDED' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionSupersededError);
    expect((error as Error).message).toMatch(/attempt 2 \(r1-2\) has started since attempt 1/);
    expect(await store.get('provision', 'r1')).toMatchObject({ attempt: 2, status: 'RUNNING' });
  });

  it('of 10 concurrent first writes of one attempt, exactly one lands', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => store.put(record(1))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual(
      Array(9).fill(expect.any(ExecutionSupersededError)),
    );
    expect(await readdir(join(dir, 'executions'))).toEqual(['provision-r1.json']);
  });

  it('never stores the read-time interrupted mark', async () => {
    const written = await store.put({ ...record(1), interrupted: true });
    expect(written).not.toHaveProperty('interrupted');
    const file = JSON.parse(await readFile(join(dir, 'executions', 'provision-r1.json'), 'utf8'));
    expect(file).not.toHaveProperty('interrupted');
  });

  it('a running execution of this process is live only while marked running here', async () => {
    const written = await store.put(record(1));
    expect((await store.get('provision', 'r1'))?.interrupted).toBe(true);
    const stop = store.markRunning(written);
    expect((await store.get('provision', 'r1'))?.interrupted).toBeUndefined();
    stop();
    expect((await store.get('provision', 'r1'))?.interrupted).toBe(true);
  });
});
