// The CLI's start-up: wall time of fresh `node bin/privatelink.mjs …` processes running the build in
// dist/cli/ (made ahead of time by `npm install` / `npm run build`), beside bare Node's own start (the
// floor on this machine under its current load). `status` and `list` read a state holding one READY
// request. The section builds first (as `npm install` does); a run that still fell back to compiling
// the sources with tsx is refused, so the figures are always the build's.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spread } from './bench-sandbox.ts';
import type { BenchSection } from './bench-types.ts';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);
const BIN = new URL('../bin/privatelink.mjs', import.meta.url).pathname;
const BUILD = new URL('./build-cli.mjs', import.meta.url).pathname;
const REQUEST = new URL('../examples/atlas-replica-set.json', import.meta.url).pathname;
/** the figures: `--help` within 300 ms and `status` within 500 ms on this machine */
const HELP_MS = 300;
const STATUS_MS = 500;

function run(args: string[]): { ms: number; stderr: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}:\n${child.stderr}`);
  return { ms, stderr: child.stderr };
}

function times(args: string[]): number[] {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms: one, stderr } = run(args);
    if (stderr.includes('running the sources through tsx'))
      throw new Error(`the CLI build is stale (${stderr.trim()}): run npm run build first`);
    ms.push(one);
  }
  return ms;
}

export async function benchCli(): Promise<BenchSection> {
  const state = await mkdtemp(join(tmpdir(), 'privatelink-bench-cli-'));
  try {
    const where = ['--sandbox-state', state];
    // what `npm install` would have built, for the sources as they are now
    run([BUILD]);
    run([BIN, 'provision', '--request', REQUEST, ...where]);
    const measured: [string, number[], number | undefined][] = [
      ['node -e 0 (the floor)', times(['-e', '0']), undefined],
      ['privatelink --help', times([BIN, '--help']), HELP_MS],
      [
        'privatelink status --request-id cluster0-app-prod',
        times([BIN, 'status', '--request-id', 'cluster0-app-prod', ...where]),
        STATUS_MS,
      ],
      ['privatelink list', times([BIN, 'list', ...where]), undefined],
    ];
    return {
      title: `The CLI's start-up (wall ms of a fresh process, the build in dist/cli/; min / median / max of ${RUNS} runs)`,
      command: `BENCH_CLI_RUNS=${RUNS} npm run bench -- cli`,
      header: ['command', 'ms', 'target'],
      rows: measured.map(([name, ms, target]) => [name, spread(ms, 0), target === undefined ? '-' : `${target}`]),
      notes: measured
        .filter(([, , target]) => target !== undefined)
        .map(
          ([name, ms, target]) =>
            `Done when: ${name} within ${target} ms (every run): ${Math.max(...ms) <= (target ?? 0) ? 'holds' : 'DOES NOT HOLD'}`,
        ),
    };
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
