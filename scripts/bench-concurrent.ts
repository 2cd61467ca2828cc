// 200 different requests started together on one account, in one process (as `serve` runs them), on one
// simulated clock (src/core/runner/sim-scheduler.ts): the makespan against its floor (the larger of the
// endpoint time and 200 × 8 Route 53 calls at Route 53's 5 per second), the throttled calls, every
// request READY and nothing left after teardown; the picture of requests READY over simulated time is
// written to docs/bench-200.svg.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProvision } from '../src/core/app/provision.ts';
import { startTeardown } from '../src/core/app/teardown.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../src/core/domain/request.ts';
import { schedulerFor } from '../src/core/runner/sim-scheduler.ts';
import { Sandbox } from '../src/core/sandbox/index.ts';
import { benchSeed, byService, diff, memoryEnvironment, watchCalls } from './bench-sandbox.ts';
import type { BenchSection } from './bench-types.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ENDPOINT_SECONDS = 150;
const DNS_SECONDS = 40;
const ROUTE53_PER_SECOND = 5;
const ROUTE53_CALLS_PER_REQUEST = 8;
/** RemoveResources re-runs the whole step when throttled (no in-step repeat yet): torn down a few at a time. */
const TEARDOWN_WAVE = 2;
export const MAX_MAKESPAN_RATIO = 1.5;

/**
 * Whether each call's simulated latency pauses only the calling run (the sandbox offers the runner
 * `useLatency`). Without it the sandbox adds every call's latency to the one clock, so 200 runs' calls
 * would add up end to end (3,000+ calls × 0.1–0.25 s): the bench then runs with no call latency.
 */
const LATENCY_PER_RUN = typeof (Sandbox.prototype as { useLatency?: unknown }).useLatency === 'function';

/** Request i: its own id and its own two names (two zones each), as 200 different clusters would have. */
function nth(base: Record<string, unknown>, i: number): ProvisionRequest {
  const target = base.target as Record<string, unknown>;
  return requireProvisionRequest({
    ...base,
    requestId: `bench-${i}`,
    target: { ...target, host: `pl-${i}-us-east-1-k45tj.mongodb.net`, srvHost: `cluster${i}-pl-0-k45tj.mongodb.net` },
  });
}

export interface ConcurrentFigures {
  requests: number;
  ready: number;
  makespan: number;
  floor: number;
  readyTimes: number[];
  calls: Record<string, number>;
  throttled: Record<string, number>;
  leftAfterTeardown: { endpoints: number; hostedZones: number };
  wallSeconds: number;
}

export async function measureConcurrent(): Promise<ConcurrentFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-200-'));
  const wallStart = performance.now();
  try {
    const seedFile = await benchSeed(dir, {
      endpointAvailableAfterSeconds: ENDPOINT_SECONDS,
      dnsChangeInsyncAfterSeconds: DNS_SECONDS,
      ...(!LATENCY_PER_RUN && { ec2LatencyMs: 0, route53LatencyMs: 0 }),
    });
    const env = await memoryEnvironment(join(dir, 'state'), seedFile);
    const sandbox = env.sandbox;
    if (!sandbox) throw new Error('the bench runs on the sandbox');
    const watch = watchCalls(() => sandbox.clock.now());
    try {
      const base = JSON.parse(await readFile('examples/atlas-replica-set.json', 'utf8'));
      const requests = Array.from({ length: REQUESTS }, (_, i) => nth(base, i));
      const startMs = sandbox.clock.now();
      const callsBefore = sandbox.callCounts();
      const readyTimes: number[] = [];
      // Started together: the clock cannot move while this start-up holds the scheduler (it is a run of its own).
      const executions = await schedulerFor(sandbox).run(() =>
        Promise.all(
          requests.map(async (request) => {
            const start = await startProvision(env, request);
            if (start.kind !== 'started') throw new Error(`${request.requestId} did not start`);
            // Wrapped: a promise returned from here would be awaited as part of the start-up.
            const execution = start.execution.then((result) => {
              if (result.status === 'READY') readyTimes.push((sandbox.clock.now() - startMs) / 1000);
              return result;
            });
            return { execution };
          }),
        ),
      );
      const results = await Promise.all(executions.map((e) => e.execution));
      const failed = results.find((r) => r.status !== 'READY');
      if (failed) console.error(`not READY: ${JSON.stringify(failed).slice(0, 600)}`);
      const makespan = (sandbox.clock.now() - startMs) / 1000;
      const calls = diff(sandbox.callCounts(), callsBefore);
      const throttled = { ...watch.throttled };

      // Torn down in waves: the point is that nothing is left, not how fast 200 teardowns share Route 53.
      for (let i = 0; i < requests.length; i += TEARDOWN_WAVE) {
        const wave = requests.slice(i, i + TEARDOWN_WAVE);
        const teardowns = await schedulerFor(sandbox).run(() =>
          Promise.all(
            wave.map(async (request) => {
              const start = await startTeardown(env, request.requestId);
              return { execution: start.kind === 'started' ? start.execution : Promise.resolve(start.result) };
            }),
          ),
        );
        const ended = await Promise.all(teardowns.map((t) => t.execution));
        const failed = ended.find((r) => r.status !== 'DELETED');
        if (failed) console.error(`teardown not DELETED: ${JSON.stringify(failed).slice(0, 400)}`);
      }
      const inventory = sandbox.inventory();
      return {
        requests: REQUESTS,
        ready: results.filter((r) => r.status === 'READY').length,
        makespan,
        floor: Math.max(ENDPOINT_SECONDS, (REQUESTS * ROUTE53_CALLS_PER_REQUEST) / ROUTE53_PER_SECOND),
        readyTimes: readyTimes.sort((a, b) => a - b),
        calls,
        throttled,
        leftAfterTeardown: { endpoints: inventory.endpoints.length, hostedZones: inventory.hostedZones.length },
        wallSeconds: (performance.now() - wallStart) / 1000,
      };
    } finally {
      watch.stop();
      await env.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Requests READY over simulated time, as a step line, with the floor marked. */
export function readySvg(figures: ConcurrentFigures): string {
  const width = 720;
  const height = 360;
  const pad = { left: 56, right: 20, top: 36, bottom: 44 };
  const maxX = Math.max(figures.makespan, figures.floor * MAX_MAKESPAN_RATIO) * 1.05;
  const x = (s: number) => pad.left + (s / maxX) * (width - pad.left - pad.right);
  const y = (n: number) => height - pad.bottom - (n / figures.requests) * (height - pad.top - pad.bottom);
  const points = [`${x(0)},${y(0)}`];
  figures.readyTimes.forEach((t, i) => {
    points.push(`${x(t).toFixed(1)},${y(i).toFixed(1)}`, `${x(t).toFixed(1)},${y(i + 1).toFixed(1)}`);
  });
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round((maxX / 5) * i));
  const marker = (s: number, label: string, colour: string) =>
    `<line x1="${x(s)}" y1="${pad.top}" x2="${x(s)}" y2="${height - pad.bottom}" stroke="${colour}" stroke-dasharray="4 3"/>` +
    `<text x="${x(s) + 4}" y="${pad.top + 12}" font-size="11" fill="${colour}">${label}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${figures.requests} requests READY over simulated time</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${pad.left}" y="20" font-size="13">${figures.requests} requests started together on one sandbox account: READY over simulated time</text>`,
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="black"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="black"/>`,
    ...ticks.map(
      (t) => `<text x="${x(t)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle">${t}</text>`,
    ),
    `<text x="${(width + pad.left) / 2}" y="${height - 8}" font-size="12" text-anchor="middle">simulated seconds since the start</text>`,
    ...[0, 0.5, 1].map(
      (f) =>
        `<text x="${pad.left - 6}" y="${y(f * figures.requests) + 4}" font-size="11" text-anchor="end">${Math.round(f * figures.requests)}</text>`,
    ),
    marker(figures.floor, `floor ${figures.floor} s`, '#888'),
    marker(figures.floor * MAX_MAKESPAN_RATIO, `1.5 × floor`, '#c60'),
    `<polyline fill="none" stroke="#1565c0" stroke-width="2" points="${points.join(' ')}"/>`,
    `<text x="${x(figures.makespan) - 4}" y="${y(figures.ready) - 6}" font-size="11" text-anchor="end" fill="#1565c0">all READY at ${figures.makespan.toFixed(0)} s</text>`,
    '</svg>',
    '',
  ].join('\n');
}

export function concurrentChecks(f: ConcurrentFigures): { what: string; holds: boolean }[] {
  return [
    {
      what: `${f.requests} concurrent requests all READY with nothing left after teardown, makespan at most ${MAX_MAKESPAN_RATIO} × the floor`,
      holds:
        f.ready === f.requests &&
        f.leftAfterTeardown.endpoints === 0 &&
        f.leftAfterTeardown.hostedZones === 0 &&
        f.makespan <= MAX_MAKESPAN_RATIO * f.floor,
    },
  ];
}

export async function benchConcurrent(): Promise<BenchSection> {
  const f = await measureConcurrent();
  await writeFile('docs/bench-200.svg', readySvg(f));
  const services = byService(f.calls);
  const throttledTotal = Object.values(f.throttled).reduce((a, b) => a + b, 0);
  const quantile = (q: number) => f.readyTimes[Math.min(f.readyTimes.length - 1, Math.floor(q * f.readyTimes.length))];
  return {
    title: `${f.requests} different requests started together on one account (endpoint ${ENDPOINT_SECONDS} s, DNS ${DNS_SECONDS} s; Route 53 5 requests/s per account)`,
    command: 'npm run bench -- concurrent',
    header: ['figure', 'value'],
    rows: [
      ['READY', `${f.ready} of ${f.requests}`],
      ['makespan (sim s)', f.makespan.toFixed(1)],
      ['floor (sim s): max(endpoint, 200 × 8 Route 53 calls / 5 per s)', f.floor],
      ['makespan / floor', (f.makespan / f.floor).toFixed(2)],
      [
        'READY at: first / median / last (sim s)',
        `${quantile(0)?.toFixed(0)} / ${quantile(0.5)?.toFixed(0)} / ${quantile(1)?.toFixed(0)}`,
      ],
      ['AWS calls: EC2 / Route 53 (throttled answers included)', `${services.ec2} / ${services.route53}`],
      ['Route 53 calls per request', (services.route53 / f.requests).toFixed(1)],
      [
        'throttled answers',
        `${throttledTotal} (${
          Object.entries(f.throttled)
            .map(([op, n]) => `${op} ${n}`)
            .join(', ') || 'none'
        })`,
      ],
      ['left after teardown', `${f.leftAfterTeardown.endpoints} endpoints, ${f.leftAfterTeardown.hostedZones} zones`],
      ['wall time (s)', f.wallSeconds.toFixed(0)],
    ],
    notes: [
      'READY over simulated time: docs/bench-200.svg (written by this run).',
      LATENCY_PER_RUN
        ? 'Each call takes its simulated latency (EC2 0.1 s, Route 53 0.25 s) for the calling run only.'
        : 'Calls take no simulated time here: the sandbox adds each call latency to the shared clock (not yet per run), which 200 runs would add up end to end.',
      ...concurrentChecks(f).map((c) => `Done when: ${c.what}: ${c.holds ? 'holds' : 'DOES NOT HOLD'}`),
    ],
  };
}
