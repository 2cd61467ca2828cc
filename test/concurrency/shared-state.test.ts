// The shared state primitive (src/core/sandbox/shared-state.ts): locks across real processes, no lost
// update, revisions that only grow, readers that never write, unique temporary names, stale locks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isProcessAlive,
  LockCompromisedError,
  processIdentity,
  SharedJsonFile,
  STALE_MS,
  temporaryName,
  withLock,
  writeFileAtomic,
} from '../../src/core/sandbox/shared-state.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-shared-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WORKER = new URL('./increment-worker.ts', import.meta.url).pathname;

function runWorker(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('N processes doing read-modify-write on one file', () => {
  it('lose no update: 8 processes x 25 increments = 200', async () => {
    const processes = 8;
    const each = 25;
    const runs = await Promise.all(
      Array.from({ length: processes }, (_, i) => runWorker([dir, String(each), `p${i}`])),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const file = new SharedJsonFile<{ count: number; by: Record<string, number> }>(dir, 'counter.json');
    const snapshot = await file.read();
    const byProcess = Object.values(snapshot?.data.by ?? {});
    console.log(
      `concurrency: shared state ${snapshot?.data.count}/${processes * each} increments kept across ${processes} processes`,
    );
    expect(snapshot?.data.count).toBe(processes * each);
    expect(byProcess).toEqual(Array(processes).fill(each));
    // one revision per write, whoever wrote
    expect(snapshot?.revision).toBe(processes * each);
    // no temporary file or lock left behind
    expect(await readdir(dir)).toEqual(['counter.json']);
  }, 60_000);
});

describe('SharedJsonFile', () => {
  it('stores the revision as the first key and readIfNewer answers only for a newer one', async () => {
    const file = new SharedJsonFile<{ n: number }>(dir, 'state.json');
    expect(await file.read()).toBeUndefined();
    expect(await file.readIfNewer(0)).toBeUndefined();
    const first = await file.update(() => ({ n: 1 }));
    expect(first).toEqual({ revision: 1, data: { n: 1 } });
    expect((await readFile(file.path, 'utf8')).startsWith('{\n  "revision": 1,')).toBe(true);
    expect(await file.readIfNewer(1)).toBeUndefined();
    expect(await file.readIfNewer(0)).toEqual({ revision: 1, data: { n: 1 } });
    await file.update((current) => ({ n: (current?.data.n ?? 0) + 1 }));
    expect(await file.readIfNewer(1)).toEqual({ revision: 2, data: { n: 2 } });
  });

  it('an update that returns undefined writes nothing', async () => {
    const file = new SharedJsonFile<{ n: number }>(dir, 'state.json');
    await file.update(() => ({ n: 1 }));
    const before = await stat(file.path);
    const result = await file.update(() => undefined);
    expect(result?.revision).toBe(1);
    expect((await stat(file.path)).ino).toBe(before.ino);
  });

  it('a write whose base revision the caller knows (under the lock) continues from it', async () => {
    const file = new SharedJsonFile<{ n: number }>(dir, 'state.json');
    await file.update(() => ({ n: 1 }));
    expect(await file.withLock(() => file.write({ n: 2 }, 1))).toBe(2);
    expect(await file.read()).toEqual({ revision: 2, data: { n: 2 } });
  });

  it('refuses a write outside the lock', async () => {
    const file = new SharedJsonFile<{ n: number }>(dir, 'state.json');
    await expect(file.write({ n: 1 })).rejects.toThrow(/only under its lock/);
    expect(await file.read()).toBeUndefined();
  });

  it('reads a file written before revisions existed as revision 0 and continues from 1', async () => {
    await writeFile(join(dir, 'state.json'), JSON.stringify({ version: 1, n: 5 }, null, 2));
    const file = new SharedJsonFile<{ version: number; n: number }>(dir, 'state.json');
    expect(await file.read()).toEqual({ revision: 0, data: { version: 1, n: 5 } });
    const next = await file.update((current) => current && { ...current.data, n: 6 });
    expect(next?.revision).toBe(1);
  });

  it('refuses a file that is not a JSON object, naming it', async () => {
    await writeFile(join(dir, 'state.json'), '[1,2]');
    await expect(new SharedJsonFile(dir, 'state.json').read()).rejects.toThrow(
      /state\.json does not hold a JSON object/,
    );
    await writeFile(join(dir, 'state.json'), '{"revision":');
    await expect(new SharedJsonFile(dir, 'state.json').read()).rejects.toThrow(/state\.json is not JSON/);
  });
});

describe('withLock', () => {
  it('serializes callers in one process and lets a nested call of the same lock through', async () => {
    const order: string[] = [];
    const task = (name: string) =>
      withLock(dir, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name}-`);
      });
    await Promise.all([task('a'), task('b'), task('c')]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    const nested = await withLock(dir, () => withLock(dir, async () => 'inner'));
    expect(nested).toBe('inner');
  });

  it('releases the lock when fn throws', async () => {
    await expect(
      withLock(dir, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await withLock(dir, async () => 'again')).toBe('again');
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over at once a lock whose owner process died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, 'state.lock'), JSON.stringify({ pid: dead, host: hostname(), token: 'x' }));
    expect(await withLock(dir, async () => 'mine', 'state', { timeoutMs: 1000 })).toBe('mine');
  });

  it('takes over a lock without an owner only once its heartbeat is older than STALE_MS', async () => {
    await writeFile(join(dir, 'state.lock'), '');
    await expect(withLock(dir, async () => 'early', 'state', { timeoutMs: 50 })).rejects.toThrow(
      /still locked after 0.05 s/,
    );
    const old = new Date(Date.now() - STALE_MS - 1000);
    await utimes(join(dir, 'state.lock'), old, old);
    expect(await withLock(dir, async () => 'late', 'state', { timeoutMs: 1000 })).toBe('late');
  });

  it("another host's lock is taken over only once its heartbeat is older than STALE_MS", async () => {
    const elsewhere = JSON.stringify({ pid: process.pid, host: `${hostname()}-elsewhere`, token: 'far' });
    await writeFile(join(dir, 'state.lock'), elsewhere);
    await expect(withLock(dir, async () => 'early', 'state', { timeoutMs: 50 })).rejects.toThrow(/still locked/);
    const old = new Date(Date.now() - STALE_MS - 1000);
    await utimes(join(dir, 'state.lock'), old, old);
    expect(await withLock(dir, async () => 'late', 'state', { timeoutMs: 1000 })).toBe('late');
  });

  it('waits for a live owner, and says which process holds it', async () => {
    await writeFile(join(dir, 'state.lock'), JSON.stringify({ ...processIdentity(), token: 'other' }));
    await expect(withLock(dir, async () => 'never', 'state', { timeoutMs: 50 })).rejects.toThrow(
      new RegExp(`by process ${process.pid} on `),
    );
  });

  it('reports a lock taken over while held', async () => {
    await expect(
      withLock(dir, async () => {
        await writeFile(join(dir, 'state.lock'), JSON.stringify({ ...processIdentity(), token: 'thief' }));
      }),
    ).rejects.toBeInstanceOf(LockCompromisedError);
  });
});

describe('process identity', () => {
  it('knows this process alive and a finished one dead, and a reused pid with another start time dead', () => {
    const me = processIdentity();
    expect(isProcessAlive(me)).toBe(true);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(isProcessAlive({ pid: dead, host: hostname() })).toBe(false);
    if (me.start !== undefined) {
      // our own pid, but started at another time: a pid the kernel reused
      expect(isProcessAlive({ ...me, start: `${me.start}0` })).toBe(false);
    }
    // a process on another host cannot be checked: never taken for dead
    expect(isProcessAlive({ pid: dead, host: `${hostname()}-elsewhere` })).toBe(true);
  });
});

describe('atomic writes', () => {
  it('temporary names differ per call within one process', () => {
    const names = new Set(Array.from({ length: 100 }, () => temporaryName('/x/file.json')));
    expect(names.size).toBe(100);
  });

  it('20 concurrent writes of one file in one process all succeed and leave one whole file', async () => {
    const path = join(dir, 'one.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(path, JSON.stringify({ i }))));
    expect(JSON.parse(await readFile(path, 'utf8'))).toHaveProperty('i');
    expect(await readdir(dir)).toEqual(['one.json']);
  });
});
