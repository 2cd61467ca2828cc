// An interrupted run is known by its process's pid AND start time (a reused pid is not taken for
// it), shown as interrupted, refuses a finalize nobody would receive, and a re-run carries on.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHandOff, NothingWaitingError } from '../../src/core/app/hand-off.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type ExecutionRecord, FileExecutionStore } from '../../src/core/runner/execution-store.ts';
import { processIdentity } from '../../src/core/sandbox/shared-state.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/privatelink.mjs');
const REQUEST = join(ROOT, 'examples/partner-hand-off-nlb.json');
const ID = 'orders-db-partner';

let dir: string;
let state: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-interrupted-'));
  state = join(dir, 'state');
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args, '--sandbox-state', state], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Resolves once the hand-off's token file holds `token` (the run waits for the other party). */
async function tokenIs(token: string): Promise<void> {
  for (;;) {
    const text = await readFile(join(state, 'task-tokens', `${ID}.json`), 'utf8').catch(() => '');
    if (text.includes(`"${token}"`)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const running = (owner: ExecutionRecord['owner']): ExecutionRecord => ({
  workflow: 'provision',
  requestId: 'r1',
  executionName: 'r1',
  attempt: 1,
  requestHash: 'h',
  input: {},
  status: 'RUNNING',
  startedAt: new Date().toISOString(),
  ...(owner && { owner }),
});

describe('interrupted runs', () => {
  it('a RUNNING record is interrupted when its process is gone, or its pid now names another process', async () => {
    const store = new FileExecutionStore(dir);
    const me = processIdentity();
    // a live process elsewhere: still running
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(sleeper);
    const pid = sleeper.pid ?? 0;
    const live = { pid, host: hostname(), ...(me.start && { start: readStart(pid) }) };
    await store.put(running(live));
    expect((await store.get('provision', 'r1'))?.interrupted).toBeUndefined();
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.on('exit', r));
    expect((await store.get('provision', 'r1'))?.interrupted).toBe(true);

    // this very pid, but a process started at another time: the pid was reused
    if (me.start !== undefined) {
      await rm(join(dir, 'executions'), { recursive: true });
      await store.put(running({ ...me, start: `${me.start}0` }));
      expect((await store.get('provision', 'r1'))?.interrupted).toBe(true);
    }
    // a finished pid without a start time (records of older versions)
    await rm(join(dir, 'executions'), { recursive: true });
    await store.put({ ...running(undefined), pid: spawnSync(process.execPath, ['-e', '']).pid });
    expect((await store.get('provision', 'r1'))?.interrupted).toBe(true);
  });

  it('a provision killed while it waits: interrupted, a finalize is refused, the re-run starts attempt 2', async () => {
    const first = start(['provision', '--request', REQUEST, '--json']);
    await tokenIs(`local:${ID}`);
    first.child.kill('SIGKILL');
    await first.done;

    const record = await new FileExecutionStore(state).get('provision', ID);
    expect(record).toMatchObject({ status: 'RUNNING', interrupted: true, attempt: 1 });
    // nobody would receive it: refused, not "accepted"
    const refused = await new FileHandOff(state)
      .complete(ID, { endpointId: 'vpce-0123456789abcdef0' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NothingWaitingError);
    expect((refused as Error).message).toMatch(/interrupted; provision it again/);
    expect(await new FileHandOff(state).isWaiting(ID)).toBe(false);

    start(['provision', '--request', REQUEST, '--json']);
    await tokenIs(`local:${ID}-2`);
    expect(await new FileHandOff(state).isWaiting(ID)).toBe(true);
    expect(await new FileExecutionStore(state).get('provision', ID)).toMatchObject({ status: 'RUNNING', attempt: 2 });
    console.log('concurrency: a provision killed while waiting was seen as interrupted and run again as attempt 2');
  }, 120_000);

  it('the re-run of a killed provision takes the other party’s endpoint and ends READY on the service the first run made', async () => {
    const first = start(['provision', '--request', REQUEST, '--json']);
    await tokenIs(`local:${ID}`);
    first.child.kill('SIGKILL');
    await first.done;
    const again = start(['provision', '--request', REQUEST, '--json']);
    await tokenIs(`local:${ID}-2`);
    const created = await start(['sandbox', 'consumer', 'create-endpoint', '--request-id', ID, '--json']).done;
    const { endpointId } = JSON.parse(created.stdout) as { endpointId: string };
    const finalized = await start(['finalize', '--request-id', ID, '--endpoint-id', endpointId]).done;
    expect(finalized.code, finalized.stderr).toBe(0);
    const run = await again.done;
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ProvisionResult;
    expect(result).toMatchObject({ status: 'READY', endpoint: { endpointId } });
    const inventory = JSON.parse((await start(['sandbox', 'inventory', '--json']).done).stdout) as {
      endpointServices: unknown[];
    };
    expect(inventory.endpointServices).toHaveLength(1);
  }, 120_000);
});

/** /proc/<pid>/stat's start time as processIdentity records it (Linux). */
function readStart(pid: number): string {
  const me = processIdentity();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return `${me.start?.split(':')[0]}:${ticks}`;
}
