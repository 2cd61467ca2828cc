// Several real `privatelink` processes on one sandbox directory at once (the contract: "no update is
// ever lost, and read-only commands change nothing"): different requests, the same request, and a
// reader polling `status` beside a provision; every resource accounted for in `sandbox inventory`.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/privatelink.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let state: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-processes-'));
  state = join(dir, 'state');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--sandbox-state', state], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const resultOf = (run: Run) => JSON.parse(run.stdout || '{}') as ProvisionResult;

type Inventory = {
  endpoints: { endpointId: string; state: string; tags: Record<string, string> }[];
  endpointServices: { serviceId: string; state: string; tags: Record<string, string> }[];
  hostedZones: { hostedZoneId: string; name: string }[];
};

async function inventory(): Promise<Inventory> {
  const run = await cli(['sandbox', 'inventory', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Inventory;
}

/** examples/orders-nlb-tcp.json as request `orders-<i>`, with its own host (so its own zone). */
async function ordersRequest(i: number): Promise<string> {
  const request = JSON.parse(await readFile(join(ROOT, 'examples/orders-nlb-tcp.json'), 'utf8'));
  request.requestId = `orders-${i}`;
  request.target.host = `orders-db-${i}.internal.example.com`;
  const file = join(dir, `orders-${i}.json`);
  await writeFile(file, JSON.stringify(request));
  return file;
}

const REQUEST_TAG = 'privatelink:request-id';

/** A port nothing listens on now (the kernel's pick, released for `serve` to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
const live = (inv: Inventory) => inv.endpoints.filter((e) => e.state !== 'deleted');

describe('N CLI processes on one sandbox directory', () => {
  it('20 provisions of different requests at once: 20 READY, each with its own endpoint, service and zone; 20 teardowns leave nothing', async () => {
    const n = 20;
    const files = await Promise.all(Array.from({ length: n }, (_, i) => ordersRequest(i)));
    const runs = await Promise.all(files.map((file) => cli(['provision', '--request', file, '--json'])));
    const results = runs.map(resultOf);
    const ready = results.filter((r) => r.status === 'READY');
    const inv = await inventory();
    const endpointOf = new Map(inv.endpoints.map((e) => [e.tags[REQUEST_TAG], e.endpointId]));
    const accounted = results.filter(
      (r) => r.endpoint?.endpointId !== undefined && endpointOf.get(r.requestId) === r.endpoint.endpointId,
    );
    console.log(
      `concurrency: ${ready.length}/${n} processes READY, ${accounted.length}/${n} endpoints in the inventory, ${inv.hostedZones.length}/${n} zones`,
    );
    for (const [i, run] of runs.entries()) expect(run.code, `orders-${i}: ${run.stderr}`).toBe(0);
    expect(ready).toHaveLength(n);
    expect(new Set(results.map((r) => r.endpoint?.endpointId)).size).toBe(n);
    expect(accounted).toHaveLength(n);
    expect(inv.endpoints).toHaveLength(n);
    expect(new Set(inv.endpointServices.map((s) => s.tags[REQUEST_TAG])).size).toBe(n);
    expect(inv.hostedZones.map((z) => z.name).sort()).toEqual(
      Array.from({ length: n }, (_, i) => `orders-db-${i}.internal.example.com`).sort(),
    );

    const teardowns = await Promise.all(
      Array.from({ length: n }, (_, i) => cli(['teardown', '--request-id', `orders-${i}`, '--json'])),
    );
    const deleted = teardowns.map(resultOf).filter((r) => r.status === 'DELETED');
    const after = await inventory();
    console.log(
      `concurrency: ${deleted.length}/${n} teardowns DELETED; left: ${live(after).length} endpoints, ${after.endpointServices.length} services, ${after.hostedZones.length} zones`,
    );
    for (const [i, run] of teardowns.entries()) expect(run.code, `orders-${i}: ${run.stderr}`).toBe(0);
    expect(deleted).toHaveLength(n);
    expect(live(after)).toEqual([]);
    expect(after.endpointServices).toEqual([]);
    expect(after.hostedZones).toEqual([]);
  }, 420_000);

  it('5 provisions of the same request at once: one run, one endpoint; then READY for all', async () => {
    const file = await ordersRequest(0);
    const runs = await Promise.all(Array.from({ length: 5 }, () => cli(['provision', '--request', file, '--json'])));
    const ran = runs.filter((r) => !/another run|exists already/.test(r.stderr));
    const inv = await inventory();
    console.log(
      `concurrency: same request from 5 processes: ${ran.length}/1 ran it, ${inv.endpoints.length}/1 endpoint in the inventory`,
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(ran).toHaveLength(1);
    expect(inv.endpoints).toHaveLength(1);
    expect(inv.endpointServices).toHaveLength(1);
    expect(inv.hostedZones).toHaveLength(1);
    const status = await cli(['status', '--request-id', 'orders-0', '--json']);
    expect(resultOf(status)).toMatchObject({
      status: 'READY',
      endpoint: { endpointId: inv.endpoints[0]?.endpointId },
    });
  }, 120_000);

  it('`serve` and a CLI provision at once: both requests READY, both endpoints in the inventory', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--json', '--sandbox-state', state], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = new Promise((r) => server.on('close', r));
    try {
      // where it listens: its progress line says (and, with --json, its one stdout object)
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        server.stderr.on('data', (chunk) => {
          err += chunk;
          const match = /serving the HTTP API on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
          if (match?.[1]) resolve(match[1]);
        });
        void ended.then(() => reject(new Error(`serve ended before it listened: ${err}`)));
      });
      const body = JSON.parse(await readFile(await ordersRequest(0), 'utf8'));
      const posted = await fetch(`${url}/endpoints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(posted.status).toBe(202);
      const cliRun = await cli(['provision', '--request', await ordersRequest(1), '--json']);
      expect(cliRun.code, cliRun.stderr).toBe(0);
      let served: ProvisionResult | undefined;
      for (let i = 0; i < 600 && served?.status !== 'READY' && served?.status !== 'FAILED'; i++) {
        served = (await (await fetch(`${url}/endpoints/orders-0`)).json()) as ProvisionResult;
        if (served.status !== 'READY') await new Promise((r) => setTimeout(r, 100));
      }
      expect(served?.status).toBe('READY');
      const inv = await inventory();
      const byRequest = new Map(inv.endpoints.map((e) => [e.tags[REQUEST_TAG], e.endpointId]));
      console.log(
        `concurrency: serve + CLI at once: ${byRequest.size}/2 requests with their endpoint in the inventory`,
      );
      expect(byRequest.get('orders-0')).toBe(served?.endpoint?.endpointId);
      expect(byRequest.get('orders-1')).toBe(resultOf(cliRun).endpoint?.endpointId);
    } finally {
      server.kill('SIGTERM');
      await ended;
    }
  }, 120_000);

  it('a reader polling status beside a provision writes nothing and loses nothing', async () => {
    const file = await ordersRequest(1);
    // the sandbox exists before the reader starts (a reader never creates it either)
    expect((await cli(['sandbox', 'inventory', '--json'])).code).toBe(0);
    const provision = cli(['provision', '--request', file, '--json']);
    let done = false;
    const reads: Run[] = [];
    const reader = (async () => {
      while (!done) reads.push(await cli(['status', '--request-id', 'orders-1', '--json']));
    })();
    const run = await provision;
    done = true;
    await reader;
    expect(run.code, run.stderr).toBe(0);
    const result = resultOf(run);
    expect(result.status).toBe('READY');
    // what the provision made is all there, whatever the reader did meanwhile
    const inv = await inventory();
    expect(inv.endpoints.map((e) => e.endpointId)).toEqual([result.endpoint?.endpointId]);
    expect(inv.hostedZones.map((z) => z.hostedZoneId)).toEqual(result.dns?.zones.map((z) => z.hostedZoneId));

    // on a quiet directory, status and inventory leave sandbox.json exactly as it was
    const before = await stat(join(state, 'sandbox.json'));
    const bytes = await readFile(join(state, 'sandbox.json'), 'utf8');
    for (const args of [
      ['status', '--request-id', 'orders-1', '--json'],
      ['sandbox', 'inventory', '--json'],
    ])
      expect((await cli(args)).code).toBe(0);
    const afterStat = await stat(join(state, 'sandbox.json'));
    console.log(
      `concurrency: a reader polled status ${reads.length} times beside a provision; the result's endpoint and ${inv.hostedZones.length} zone(s) all in the inventory`,
    );
    expect(afterStat.mtimeMs).toBe(before.mtimeMs);
    expect(afterStat.ino).toBe(before.ino);
    expect(await readFile(join(state, 'sandbox.json'), 'utf8')).toBe(bytes);
  }, 120_000);
});
