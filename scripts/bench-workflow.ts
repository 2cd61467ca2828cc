// The provisioning workflow on the sandbox, one request at a time: READY against the endpoint's own
// availability (endpoint times 45, 150 and 600 s, DNS INSYNC 40 s after a change), an Atlas request
// against its critical path (service ready + endpoint available + connection strings), and what a
// request costs: state transitions, Lambda invocations, AWS calls by service. Min / median / max over RUNS.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { openEnvironment } from '../src/core/app/environment.ts';
import { startProvision } from '../src/core/app/provision.ts';
import { ec2Client } from '../src/core/aws/clients.ts';
import { requireProvisionRequest } from '../src/core/domain/request.ts';
import { loadDefinition, taskFunctions } from '../src/core/runner/definitions.ts';
import { benchSeed, byService, spread, watchCalls } from './bench-sandbox.ts';
import type { BenchSection } from './bench-types.ts';

export const ENDPOINT_TIMES = [45, 150, 600];
const DNS_SECONDS = 40;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Done when: READY within this long of the endpoint's availability. */
export const READY_WITHIN_SECONDS = 5;
export const MAX_TRANSITIONS = 60;
export const MAX_ROUTE53_CALLS = 8;
const ATLAS = { serviceReadyAfterSeconds: 180, endpointAvailableAfterSeconds: 120, connectionStringsAfterSeconds: 240 };

const lambdaStates = new Set(Object.keys(taskFunctions(loadDefinition('provision'))));

export interface RunFigures {
  readyAt: number;
  /** the critical path: when the endpoint (Atlas: everything READY needs) could be READY at the earliest */
  floorAt: number;
  insyncSeenBeforeReady: boolean;
  transitions: number;
  invocations: number;
  calls: Record<string, number>;
}

async function runOnce(file: string, seedFile: string, dir: string, floor: (createdAt: number) => number) {
  const env = await openEnvironment({ stateDir: dir, seedFile, reset: true });
  const sandbox = env.sandbox;
  if (!sandbox) throw new Error('the bench runs on the sandbox');
  const watch = watchCalls(() => sandbox.clock.now());
  try {
    const request = requireProvisionRequest(JSON.parse(await readFile(`examples/${file}`, 'utf8')));
    let invocations = 0;
    const startMs = sandbox.clock.now();
    const start = await startProvision(env, request, (event) => {
      if (event.type === 'entered' && event.stateType === 'Task' && lambdaStates.has(event.state)) invocations++;
      if (event.type === 'retried' && lambdaStates.has(event.state)) invocations++;
    });
    if (start.kind !== 'started') throw new Error('expected a fresh run');
    const result = await start.execution;
    if (result.status !== 'READY' || !result.stats) throw new Error(`${file}: ${result.status}`);
    const readyMs = startMs + result.stats.simulatedSeconds * 1000;
    const described = await ec2Client(request.region).send(
      new DescribeVpcEndpointsCommand({ VpcEndpointIds: [result.endpoint?.endpointId ?? ''] }),
    );
    const createdMs = described.VpcEndpoints?.[0]?.CreationTimestamp?.getTime() ?? startMs;
    const needsDns = (result.dns?.zones.length ?? 0) > 0;
    return {
      readyAt: result.stats.simulatedSeconds,
      floorAt: (floor(createdMs) - startMs) / 1000,
      insyncSeenBeforeReady: !needsDns || watch.insyncAt.some((at) => at <= readyMs),
      transitions: result.stats.stateTransitions,
      invocations,
      calls: result.stats.awsCalls,
    } satisfies RunFigures;
  } finally {
    watch.stop();
    await env.close();
  }
}

export interface WorkflowFigures {
  rows: { label: string; runs: RunFigures[] }[];
}

export async function measureWorkflow(): Promise<WorkflowFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-'));
  const rows: WorkflowFigures['rows'] = [];
  try {
    for (const seconds of ENDPOINT_TIMES) {
      const seed = await benchSeed(dir, {
        endpointAvailableAfterSeconds: seconds,
        dnsChangeInsyncAfterSeconds: DNS_SECONDS,
      });
      const runs: RunFigures[] = [];
      for (let i = 0; i < RUNS; i++)
        runs.push(await runOnce('atlas-replica-set.json', seed, join(dir, 'state'), (c) => c + seconds * 1000));
      rows.push({ label: `seedlist, 2 zones (atlas-replica-set.json), endpoint ${seconds} s`, runs });
    }
    const awsSeconds = 150;
    const atlasSeed = await benchSeed(
      dir,
      { endpointAvailableAfterSeconds: awsSeconds, dnsChangeInsyncAfterSeconds: DNS_SECONDS },
      { atlasTiming: ATLAS },
    );
    const critical =
      ATLAS.serviceReadyAfterSeconds +
      Math.max(awsSeconds, ATLAS.endpointAvailableAfterSeconds) +
      ATLAS.connectionStringsAfterSeconds;
    const atlasRuns: RunFigures[] = [];
    for (let i = 0; i < RUNS; i++)
      atlasRuns.push(await runOnce('atlas-cluster.json', atlasSeed, join(dir, 'state'), () => Number.NaN));
    // Atlas's floor: its service (180 s), our endpoint at both sides (max of AWS 150 s, Atlas 120 s), its strings (240 s).
    for (const run of atlasRuns) run.floorAt = critical;
    rows.push({
      label: `Atlas (atlas-cluster.json): service ${ATLAS.serviceReadyAfterSeconds} s + endpoint max(${awsSeconds}, ${ATLAS.endpointAvailableAfterSeconds}) s + strings ${ATLAS.connectionStringsAfterSeconds} s`,
      runs: atlasRuns,
    });
    return { rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function readyChecks(figures: WorkflowFigures): { what: string; holds: boolean }[] {
  const endpointRows = figures.rows.slice(0, ENDPOINT_TIMES.length);
  const all = figures.rows.flatMap((r) => r.runs);
  return [
    {
      what: `READY within ${READY_WITHIN_SECONDS} s of the endpoint's availability at ${ENDPOINT_TIMES.join(', ')} s`,
      holds: endpointRows.every((r) => r.runs.every((run) => run.readyAt - run.floorAt <= READY_WITHIN_SECONDS)),
    },
    {
      what: 'a GetChange that saw INSYNC before READY (every run)',
      holds: all.every((run) => run.insyncSeenBeforeReady),
    },
    { what: `at most ${MAX_TRANSITIONS} state transitions per request`, holds: all.every((r) => r.transitions <= 60) },
    {
      what: `at most ${MAX_ROUTE53_CALLS} Route 53 calls for a seedlist request with two zones`,
      holds: endpointRows.every((r) => r.runs.every((run) => byService(run.calls).route53 <= MAX_ROUTE53_CALLS)),
    },
  ];
}

export async function benchWorkflow(): Promise<BenchSection> {
  const figures = await measureWorkflow();
  const rows = figures.rows.map(({ label, runs }) => {
    const services = runs.map((r) => byService(r.calls));
    return [
      label,
      spread(runs.map((r) => r.floorAt)),
      spread(runs.map((r) => r.readyAt)),
      spread(runs.map((r) => r.readyAt - r.floorAt)),
      runs.every((r) => r.insyncSeenBeforeReady) ? 'yes' : 'NO',
      spread(
        runs.map((r) => r.transitions),
        0,
      ),
      spread(
        runs.map((r) => r.invocations),
        0,
      ),
      spread(
        services.map((s) => s.ec2),
        0,
      ),
      spread(
        services.map((s) => s.route53),
        0,
      ),
      spread(
        services.map((s) => s.atlas),
        0,
      ),
    ];
  });
  const first = figures.rows[1]?.runs[0];
  return {
    title: `One request at a time on the sandbox (DNS INSYNC ${DNS_SECONDS} s after a change; min / median / max of ${RUNS} runs)`,
    command: 'npm run bench -- workflow',
    header: [
      'request',
      'floor at (sim s)',
      'READY at (sim s)',
      'READY after floor (s)',
      'INSYNC seen before READY',
      'transitions',
      'Lambda invocations',
      'EC2 calls',
      'Route 53 calls',
      'Atlas calls',
    ],
    rows,
    notes: [
      "Floor: the endpoint's own availability (its creation + the endpoint time); for Atlas the critical path of its own lifecycles.",
      ...(first
        ? [
            `Calls of one run at 150 s: ${Object.entries(first.calls)
              .map(([op, n]) => `${op} ${n}`)
              .join(', ')}`,
          ]
        : []),
      ...readyChecks(figures).map((c) => `Done when: ${c.what}: ${c.holds ? 'holds' : 'DOES NOT HOLD'}`),
    ],
  };
}
