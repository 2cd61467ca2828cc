// Slack acknowledgement latency from a cold process (Slack allows 3 s): spawn `node` on a script that
// loads the slackCommand Lambda's module and answers one signed request, as a cold Lambda would; median of
// several runs. Two builds: the esbuild bundle (built as serverless.yml builds the Lambdas) and the
// TypeScript sources through tsx.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { BenchSection } from './bench-types.ts';

const RUNS = 5;
/** serverless.yml's custom.esbuild.plugins, which let esbuild drop the SDK clients' unused shapes. */
const lambdaPlugins = createRequire(import.meta.url)('../deploy/plugins/esbuild-plugins.cjs') as Plugin[];
const SLACK_LIMIT_MS = 3000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function runOnce(args: string[]): Promise<{ wallMs: number; loadMs: number; handleMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      try {
        const line = JSON.parse(out.trim()) as { statusCode: number; loadMs: number; handleMs: number };
        if (code !== 0 || line.statusCode !== 200) throw new Error(`exit ${code}, status ${line.statusCode}`);
        resolve({ wallMs, loadMs: line.loadMs, handleMs: line.handleMs });
      } catch (error) {
        reject(new Error(`the cold acknowledgement failed: ${(error as Error).message}: ${out}`));
      }
    });
  });
}

export async function benchSlack(): Promise<BenchSection> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-slack-'));
  try {
    const bundle = join(dir, 'slack-ack-once.mjs');
    await build({
      entryPoints: ['scripts/slack-ack-once.ts'],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      // The bundled CommonJS (X-Ray SDK) requires Node built-ins, as in serverless.yml's banner.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      plugins: lambdaPlugins,
      outfile: bundle,
      logLevel: 'silent',
    });
    const variants: [string, string[]][] = [
      ['esbuild bundle (as in Lambda)', [bundle]],
      ['TypeScript sources via tsx', ['--import', 'tsx', 'scripts/slack-ack-once.ts']],
    ];
    const rows: (string | number)[][] = [];
    for (const [name, args] of variants) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(args));
      const wall = median(runs.map((r) => r.wallMs));
      rows.push([
        name,
        RUNS,
        Math.round(median(runs.map((r) => r.loadMs))),
        Math.round(median(runs.map((r) => r.handleMs)) * 10) / 10,
        Math.round(wall),
        wall < SLACK_LIMIT_MS ? 'yes' : 'NO',
      ]);
    }
    return {
      title: 'Slack acknowledgement from a cold process',
      command: 'npm run bench',
      header: ['build', 'runs', 'load handler ms', 'verify + answer ms', 'process spawn → ack ms (median)', '< 3 s'],
      rows,
      notes: [
        'Each run is a fresh `node` process that imports the slackCommand Lambda module (middy, Powertools parser, logger and tracer, SDK clients) and answers one signed `/privatelink status` HTTP API v2 event with a Lambda context; wall time includes Node start-up.',
        'In Lambda a cold start adds the runtime init and one cached SSM GetParameter for the signing secret.',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
