// The provisioning workflow on the sandbox: simulated time against the ideal, state transitions,
// endpoint polls and AWS calls, and the wall time of a whole run (median of several).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEnvironment } from '../src/core/app/environment.ts';
import { startProvision } from '../src/core/app/provision.ts';
import { requireProvisionRequest } from '../src/core/domain/request.ts';
import type { BenchSection } from './bench-types.ts';

const ENDPOINT_SECONDS = 150;
const DNS_SECONDS = 40;
const RUNS = 5;
const EXAMPLES = ['atlas-replica-set.json', 'atlas-serverless.json', 'pinecone-index.json', 'orders-nlb-tcp.json'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function runOnce(file: string, seedFile: string, dir: string) {
  const env = await openEnvironment({ stateDir: dir, seedFile, reset: true });
  try {
    const request = requireProvisionRequest(JSON.parse(await readFile(`examples/${file}`, 'utf8')));
    let dnsChangedAt = Number.NaN;
    let checks = 0;
    const started = performance.now();
    const start = await startProvision(env, request, (event, elapsed) => {
      if (event.type === 'exited' && event.state === 'UpsertDnsRecords') dnsChangedAt = elapsed;
      if (event.type === 'exited' && event.state === 'CheckEndpoint') checks++;
    });
    if (start.kind !== 'started') throw new Error('expected a fresh run');
    const result = await start.execution;
    const wallMs = performance.now() - started;
    if (result.status !== 'READY' || !result.stats) throw new Error(`${file}: ${result.status}`);
    return { stats: result.stats, dnsLive: dnsChangedAt + DNS_SECONDS, checks, wallMs };
  } finally {
    await env.close();
  }
}

export async function benchWorkflow(): Promise<BenchSection> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-'));
  try {
    const seed = JSON.parse(await readFile('examples/sandbox-seed.json', 'utf8'));
    seed.timing = { endpointAvailableAfterSeconds: ENDPOINT_SECONDS, dnsChangeInsyncAfterSeconds: DNS_SECONDS };
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify(seed));
    const rows: (string | number)[][] = [];
    for (const file of EXAMPLES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(file, seedFile, join(dir, 'state')));
      const first = runs[0];
      if (!first) continue;
      const calls = Object.values(first.stats.awsCalls).reduce((a, b) => a + b, 0);
      rows.push([
        file,
        first.stats.simulatedSeconds,
        first.dnsLive.toFixed(1),
        `${((first.stats.simulatedSeconds / first.dnsLive - 1) * 100).toFixed(1)}%`,
        first.stats.stateTransitions,
        first.checks,
        first.stats.awsCalls.DescribeVpcEndpoints ?? 0,
        calls,
        median(runs.map((r) => r.wallMs)).toFixed(0),
      ]);
    }
    return {
      title: `Provisioning on the sandbox (endpoint available after ${ENDPOINT_SECONDS} s, DNS in sync ${DNS_SECONDS} s after a change)`,
      command: 'npm run bench',
      header: [
        'example',
        'READY at (sim s)',
        'DNS live at (sim s)',
        'READY after DNS live',
        'transitions',
        'endpoint polls',
        'DescribeVpcEndpoints',
        'AWS calls',
        `wall ms (median of ${RUNS})`,
      ],
      rows,
      notes: [
        'Budget (issue 2): READY no earlier than DNS is live and at most 15% later; at most 60 transitions and 12 endpoint polls.',
        'Own-service example (orders) includes acceptance: the endpoint is pending for the same time after we accept.',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
