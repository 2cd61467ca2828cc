// 200 different requests started together on one account, in one process (as `serve` runs them), on one
// simulated clock (src/core/runner/sim-scheduler.ts), each call's latency paused by its own run: the
// makespan against the issue's floor (the larger of the endpoint time and 200 × 8 Route 53 calls at Route
// 53's 5 per second) and against the floor EC2's documented CreateVpcEndpoint bucket sets (4 at once,
// then 0.3 per second: the last endpoint is created after (200 − 4) / 0.3 s); the throttled answers;
// every request READY; then all 200 torn down at once, and nothing left. Twice: on an account with AWS's
// default limits, and on one whose CreateVpcEndpoint and DeleteVpcEndpoints limits AWS raised threefold
// (the seed's ec2RequestLimits), where Route 53 sets the floor instead. The picture of requests READY over
// simulated time is written to docs/bench-200.svg. BENCH_CONCURRENT_RUNS runs give min / median / max.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProvision } from '../src/core/app/provision.ts';
import { startTeardown } from '../src/core/app/teardown.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../src/core/domain/request.ts';
import type { ProvisionResult } from '../src/core/domain/result.ts';
import { schedulerFor } from '../src/core/runner/sim-scheduler.ts';
import { type TokenBucket, UNCATEGORIZED_BUCKETS } from '../src/core/sandbox/ec2-throttling.ts';
import type { Sandbox } from '../src/core/sandbox/index.ts';
import { benchSeed, byService, diff, memoryEnvironment, spread } from './bench-sandbox.ts';
import type { BenchSection } from './bench-types.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
/** 200 requests take a few minutes of this machine each: one run unless asked for more. */
const RUNS = Number(process.env.BENCH_CONCURRENT_RUNS ?? 1);
const ENDPOINT_SECONDS = 150;
const DNS_SECONDS = 40;
const ROUTE53_PER_SECOND = 5;
const ROUTE53_CALLS_PER_REQUEST = 8;
export const MAX_MAKESPAN_RATIO = 1.5;
const DEFAULT_CREATE = UNCATEGORIZED_BUCKETS.CreateVpcEndpoint ?? { capacity: 4, refillPerSecond: 0.3 };
const DEFAULT_DELETE = UNCATEGORIZED_BUCKETS.DeleteVpcEndpoints ?? DEFAULT_CREATE;

/** One kind of account the 200 requests run on: its EC2 request limits (seed ec2RequestLimits). */
export interface BenchAccount {
  name: string;
  /** the raised limits, by action; empty: AWS's defaults */
  limits: Record<string, TokenBucket>;
  colour: string;
}

// AWS's page asks for "at most three times your existing limit in a single request" and for refill
// rates before capacities: the raise one support case could ask for.
const raisedThreefold = (bucket: TokenBucket): TokenBucket => ({
  ...bucket,
  refillPerSecond: Math.round(bucket.refillPerSecond * 3 * 1000) / 1000,
});

export const ACCOUNTS: readonly BenchAccount[] = [
  { name: "AWS's default limits", limits: {}, colour: '#1565c0' },
  {
    name: 'CreateVpcEndpoint and DeleteVpcEndpoints raised 3× (0.9/s)',
    limits: { CreateVpcEndpoint: raisedThreefold(DEFAULT_CREATE), DeleteVpcEndpoints: raisedThreefold(DEFAULT_DELETE) },
    colour: '#6a1b9a',
  },
];

/** Request i: its own id and its own two names (two zones each), as 200 different clusters would have. */
function nth(base: Record<string, unknown>, i: number): ProvisionRequest {
  const target = base.target as Record<string, unknown>;
  return requireProvisionRequest({
    ...base,
    requestId: `bench-${i}`,
    target: { ...target, host: `pl-${i}-us-east-1-k45tj.mongodb.net`, srvHost: `cluster${i}-pl-0-k45tj.mongodb.net` },
  });
}

/** The issue's floor: the larger of the endpoint time and N × 8 Route 53 calls at 5 per second. */
export function issueFloor(requests: number): number {
  return Math.max(ENDPOINT_SECONDS, (requests * ROUTE53_CALLS_PER_REQUEST) / ROUTE53_PER_SECOND);
}

/**
 * The floor EC2's documented CreateVpcEndpoint bucket sets (4 at once, then 0.3 per second per account
 * and Region): the last of N endpoints cannot be created before (N − 4) / 0.3 s, nor be available
 * before its endpoint time after that.
 */
export function ec2Floor(requests: number, account: BenchAccount): number {
  const create = account.limits.CreateVpcEndpoint ?? DEFAULT_CREATE;
  const lastCreatedAt = Math.max(0, requests - create.capacity) / create.refillPerSecond;
  return lastCreatedAt + ENDPOINT_SECONDS;
}

export interface ConcurrentFigures {
  account: BenchAccount;
  requests: number;
  ready: number;
  makespan: number;
  /** the issue's floor (Route 53) and the one EC2's CreateVpcEndpoint bucket sets */
  floor: number;
  ec2Floor: number;
  readyTimes: number[];
  /** Route 53 calls of each READY request, from its own stats (the sandbox attributes calls to their run) */
  route53PerRequest: number[];
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** the answers that were not READY (status and error code), by kind */
  notReady: Record<string, number>;
  teardown: { deleted: number; makespan: number; calls: Record<string, number>; throttled: Record<string, number> };
  notDeleted: Record<string, number>;
  leftAfterTeardown: { endpoints: number; hostedZones: number };
  wallSeconds: number;
}

const outcomeOf = (result: ProvisionResult) =>
  `${result.status}${result.error ? ` ${result.error.code} at ${result.error.step}` : ''}`;

function tally(results: ProvisionResult[], wanted: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if (r.status !== wanted) out[outcomeOf(r)] = (out[outcomeOf(r)] ?? 0) + 1;
  return out;
}

/** An execution started: wrapped, since a promise returned from an async start-up would be awaited by it. */
type Started = { execution: Promise<ProvisionResult> };

/** Starts every execution in one turn (a run of its own, so the clock waits until all have started). */
async function together(sandbox: Sandbox, start: () => Promise<Started>[]): Promise<ProvisionResult[]> {
  const started = await schedulerFor(sandbox).run(() => Promise.all(start()));
  return Promise.all(started.map((s) => s.execution));
}

export async function measureConcurrent(account: BenchAccount): Promise<ConcurrentFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-200-'));
  const wallStart = performance.now();
  try {
    const seedFile = await benchSeed(
      dir,
      { endpointAvailableAfterSeconds: ENDPOINT_SECONDS, dnsChangeInsyncAfterSeconds: DNS_SECONDS },
      { ec2RequestLimits: account.limits },
    );
    const env = await memoryEnvironment(join(dir, 'state'), seedFile);
    const sandbox = env.sandbox;
    if (!sandbox) throw new Error('the bench runs on the sandbox');
    try {
      const base = JSON.parse(await readFile('examples/atlas-replica-set.json', 'utf8'));
      const requests = Array.from({ length: REQUESTS }, (_, i) => nth(base, i));
      const startMs = sandbox.clock.now();
      const callsBefore = sandbox.callCounts();
      const throttledBefore = sandbox.throttledCounts();
      const readyTimes: number[] = [];
      const results = await together(sandbox, () =>
        requests.map(async (request) => {
          const start = await startProvision(env, request);
          if (start.kind !== 'started') throw new Error(`${request.requestId} did not start`);
          const execution = start.execution.then((result) => {
            if (result.status === 'READY') readyTimes.push((sandbox.clock.now() - startMs) / 1000);
            return result;
          });
          return { execution };
        }),
      );
      const makespan = (sandbox.clock.now() - startMs) / 1000;
      const calls = diff(sandbox.callCounts(), callsBefore);
      const throttled = diff(sandbox.throttledCounts(), throttledBefore);

      // All 200 torn down at once too: removal waits its turn for EC2's and Route 53's limits.
      const downMs = sandbox.clock.now();
      const downCalls = sandbox.callCounts();
      const downThrottled = sandbox.throttledCounts();
      const ended = await together(sandbox, () =>
        requests.map(async (request) => {
          const start = await startTeardown(env, request.requestId);
          return { execution: start.kind === 'started' ? start.execution : Promise.resolve(start.result) };
        }),
      );
      const inventory = sandbox.inventory();
      return {
        account,
        requests: REQUESTS,
        ready: results.filter((r) => r.status === 'READY').length,
        makespan,
        floor: issueFloor(REQUESTS),
        ec2Floor: ec2Floor(REQUESTS, account),
        readyTimes: readyTimes.sort((a, b) => a - b),
        route53PerRequest: results
          .filter((r) => r.status === 'READY')
          .map((r) => byService(r.stats?.awsCalls ?? {}).route53),
        calls,
        throttled,
        notReady: tally(results, 'READY'),
        teardown: {
          deleted: ended.filter((r) => r.status === 'DELETED').length,
          makespan: (sandbox.clock.now() - downMs) / 1000,
          calls: diff(sandbox.callCounts(), downCalls),
          throttled: diff(sandbox.throttledCounts(), downThrottled),
        },
        notDeleted: tally(ended, 'DELETED'),
        leftAfterTeardown: { endpoints: inventory.endpoints.length, hostedZones: inventory.hostedZones.length },
        wallSeconds: (performance.now() - wallStart) / 1000,
      };
    } finally {
      await env.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Requests READY over simulated time, a step line per account, with the floors marked. */
export function readySvg(series: ConcurrentFigures[]): string {
  const [first] = series;
  if (!first) throw new Error('nothing to draw');
  const width = 720;
  const height = 400;
  const pad = { left: 56, right: 20, top: 36, bottom: 80 };
  const maxX =
    Math.max(first.floor * MAX_MAKESPAN_RATIO, ...series.map((f) => Math.max(f.makespan, f.ec2Floor))) * 1.05;
  const x = (s: number) => pad.left + (s / maxX) * (width - pad.left - pad.right);
  const y = (n: number) => height - pad.bottom - (n / first.requests) * (height - pad.top - pad.bottom);
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round((maxX / 5) * i));
  // a label right of its line, or left of it near the right edge
  const marker = (s: number, label: string, colour: string, row: number) => {
    const left = x(s) > width * 0.7;
    return (
      `<line x1="${x(s)}" y1="${pad.top}" x2="${x(s)}" y2="${height - pad.bottom}" stroke="${colour}" stroke-dasharray="4 3"/>` +
      `<text x="${x(s) + (left ? -4 : 4)}" y="${pad.top + 12 + row * 13}" font-size="11" fill="${colour}"${left ? ' text-anchor="end"' : ''}>${label}</text>`
    );
  };
  const line = (f: ConcurrentFigures) => {
    const points = [`${x(0)},${y(0)}`];
    f.readyTimes.forEach((t, i) => {
      points.push(`${x(t).toFixed(1)},${y(i).toFixed(1)}`, `${x(t).toFixed(1)},${y(i + 1).toFixed(1)}`);
    });
    return `<polyline fill="none" stroke="${f.account.colour}" stroke-width="2" points="${points.join(' ')}"/>`;
  };
  const legend = (f: ConcurrentFigures, i: number) =>
    `<text x="${pad.left}" y="${height - pad.bottom + 48 + i * 14}" font-size="11" fill="${f.account.colour}">${f.account.name}: ${f.ready === f.requests ? 'all' : `${f.ready} of ${f.requests}`} READY at ${f.makespan.toFixed(0)} s</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${first.requests} requests READY over simulated time</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${pad.left}" y="20" font-size="13">${first.requests} requests started together on one sandbox account: READY over simulated time</text>`,
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="black"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="black"/>`,
    ...ticks.map(
      (t) => `<text x="${x(t)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle">${t}</text>`,
    ),
    `<text x="${(width + pad.left) / 2}" y="${height - pad.bottom + 32}" font-size="12" text-anchor="middle">simulated seconds since the start</text>`,
    ...[0, 0.5, 1].map(
      (f) =>
        `<text x="${pad.left - 6}" y="${y(f * first.requests) + 4}" font-size="11" text-anchor="end">${Math.round(f * first.requests)}</text>`,
    ),
    marker(first.floor, `issue's floor ${first.floor} s`, '#888', 0),
    marker(first.floor * MAX_MAKESPAN_RATIO, `1.5 × that`, '#c60', 1),
    ...series.map((f, i) =>
      marker(f.ec2Floor, `CreateVpcEndpoint floor ${f.ec2Floor.toFixed(0)} s`, f.account.colour, 2 + i),
    ),
    ...series.map(line),
    ...series.map(legend),
    '</svg>',
    '',
  ].join('\n');
}

export function concurrentChecks(f: ConcurrentFigures): { what: string; holds: boolean; why?: string }[] {
  const nothingLeft = f.leftAfterTeardown.endpoints === 0 && f.leftAfterTeardown.hostedZones === 0;
  const target = MAX_MAKESPAN_RATIO * f.floor;
  return [
    { what: `${f.requests} concurrent requests all READY`, holds: f.ready === f.requests },
    {
      what: 'nothing left after tearing all of them down at once',
      holds: nothingLeft && f.teardown.deleted === f.requests,
    },
    {
      what: `all READY within ${MAX_MAKESPAN_RATIO} × the issue's floor (${target} s)`,
      holds: f.ready === f.requests && f.makespan <= target,
      ...(f.ec2Floor > target && {
        why: `no client can: the last CreateVpcEndpoint the account's bucket allows comes ${(f.ec2Floor - ENDPOINT_SECONDS).toFixed(0)} s in, its endpoint available ${f.ec2Floor.toFixed(0)} s in`,
      }),
    },
    {
      what: `all READY within ${MAX_MAKESPAN_RATIO} × the floor the account's CreateVpcEndpoint bucket sets (${(MAX_MAKESPAN_RATIO * f.ec2Floor).toFixed(0)} s)`,
      holds: f.ready === f.requests && f.makespan <= MAX_MAKESPAN_RATIO * f.ec2Floor,
    },
  ];
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ') || 'none';

/** The accounts BENCH_ACCOUNTS names (default, raised), else both. */
function chosenAccounts(): readonly BenchAccount[] {
  const wanted = (process.env.BENCH_ACCOUNTS ?? '').split(',').filter(Boolean);
  if (wanted.length === 0) return ACCOUNTS;
  const keys = ['default', 'raised'];
  const unknown = wanted.filter((w) => !keys.includes(w));
  if (unknown.length > 0)
    throw new Error(`BENCH_ACCOUNTS: unknown ${unknown.join(', ')}; choose from ${keys.join(', ')}`);
  return ACCOUNTS.filter((_, i) => wanted.includes(keys[i] ?? ''));
}

export async function benchConcurrent(): Promise<BenchSection> {
  const accounts = chosenAccounts();
  const runs = accounts.map(() => [] as ConcurrentFigures[]);
  for (let i = 0; i < RUNS; i++)
    for (const [a, account] of accounts.entries()) runs[a]?.push(await measureConcurrent(account));
  // the picture and the detail rows: each account's run of median makespan
  const medians = runs.map((of) => {
    const sorted = [...of].sort((a, b) => a.makespan - b.makespan);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (!median) throw new Error('no run');
    return median;
  });
  await writeFile('docs/bench-200.svg', readySvg(medians));
  const [first] = medians;
  if (!first) throw new Error('no account');
  /** a row: one cell per account, from its runs (spread) or its median run (detail) */
  const row = (label: string, cell: (f: ConcurrentFigures, all: ConcurrentFigures[]) => string | number) => [
    label,
    ...medians.map((f, a) => cell(f, runs[a] ?? [])),
  ];
  const of =
    (pick: (r: ConcurrentFigures) => number, digits = 0) =>
    (_: ConcurrentFigures, all: ConcurrentFigures[]) =>
      spread(all.map(pick), digits);
  const quantiles = (f: ConcurrentFigures) => {
    const at = (q: number) => f.readyTimes[Math.min(f.readyTimes.length - 1, Math.floor(q * f.readyTimes.length))];
    return `${at(0)?.toFixed(0)} / ${at(0.5)?.toFixed(0)} / ${at(1)?.toFixed(0)}`;
  };
  const accountList = accounts.map((a) => (Object.keys(a.limits).length === 0 ? 'default' : 'raised')).join(',');
  return {
    title: `${first.requests} different requests started together on one account (endpoint ${ENDPOINT_SECONDS} s, DNS ${DNS_SECONDS} s; Route 53 5 requests/s, EC2's documented token buckets; min / median / max of ${RUNS} run(s) per account)`,
    command: `BENCH_CONCURRENT_RUNS=${RUNS}${accounts.length < ACCOUNTS.length ? ` BENCH_ACCOUNTS=${accountList}` : ''} npm run bench -- concurrent`,
    header: ['figure', ...accounts.map((a) => a.name)],
    rows: [
      row(
        'READY',
        of((r) => r.ready),
      ),
      row('not READY (median run)', (f) => listed(f.notReady)),
      row(
        'makespan (sim s)',
        of((r) => r.makespan),
      ),
      row("issue's floor (sim s): max(endpoint, 200 × 8 Route 53 calls / 5 per s)", (f) => f.floor),
      row(
        'makespan / issue floor',
        of((r) => r.makespan / r.floor, 2),
      ),
      row('floor set by the CreateVpcEndpoint bucket + endpoint time (sim s)', (f) => {
        const create = f.account.limits.CreateVpcEndpoint ?? DEFAULT_CREATE;
        return `${f.ec2Floor.toFixed(0)} (${create.capacity}, then ${create.refillPerSecond}/s)`;
      }),
      row(
        'makespan / CreateVpcEndpoint floor',
        of((r) => r.makespan / r.ec2Floor, 2),
      ),
      row('READY at: first / median / last (sim s, median run)', quantiles),
      row('AWS calls: EC2 / Route 53 (throttled answers included)', (f) => {
        const services = byService(f.calls);
        return `${services.ec2} / ${services.route53}`;
      }),
      row(
        'Route 53 calls per request',
        of((r) => byService(r.calls).route53 / r.requests, 1),
      ),
      row('Route 53 calls of a READY request, its own stats: min / median / max (median run)', (f) =>
        spread(f.route53PerRequest, 0),
      ),
      row('throttled answers', (f) => `${total(f.throttled)} (${listed(f.throttled)})`),
      row(
        'teardown of all at once: DELETED',
        of((r) => r.teardown.deleted),
      ),
      row('teardown: not DELETED (median run)', (f) => listed(f.notDeleted)),
      row(
        'teardown makespan (sim s)',
        of((r) => r.teardown.makespan),
      ),
      row('teardown calls: EC2 / Route 53', (f) => {
        const down = byService(f.teardown.calls);
        return `${down.ec2} / ${down.route53}`;
      }),
      row('teardown throttled answers', (f) => `${total(f.teardown.throttled)} (${listed(f.teardown.throttled)})`),
      row(
        'left after teardown',
        (f) => `${f.leftAfterTeardown.endpoints} endpoints, ${f.leftAfterTeardown.hostedZones} zones`,
      ),
      row(
        'wall time per run (s)',
        of((r) => r.wallSeconds),
      ),
    ],
    notes: [
      'READY over simulated time: docs/bench-200.svg (written by this run).',
      'Each call takes its simulated latency (EC2 0.1 s, Route 53 0.25 s, Atlas 0.2 s) for the calling run only (Sandbox.useLatency).',
      "The raised account is the seed's ec2RequestLimits: the refill rates AWS Support could raise in one case (at most 3×, refill rates first, as AWS's throttling page asks); every other limit as AWS documents it.",
      ...medians.flatMap((f) =>
        concurrentChecks(f).map(
          (c) =>
            `Done when (${f.account.name}): ${c.what}: ${c.holds ? 'holds' : `DOES NOT HOLD${c.why ? `; ${c.why}` : ''}`}`,
        ),
      ),
    ],
  };
}
