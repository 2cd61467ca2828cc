// Bundle size and cold import time per Lambda, from the artifacts `osls package` builds: each zip is
// unpacked and its handler module imported in fresh `node` processes (the median over RUNS).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchSection } from './bench-types.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const RUNS = 7;
const MAX_ZIP_KB = 400;
const MAX_IMPORT_MS = 150;

const run = promisify(execFile);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * One fresh process: the time to import the bundle, measured inside it (process start-up excluded). The
 * environment is the one Lambda gives the function (provider.environment and the runtime's own variables), so
 * Powertools sees itself in Lambda and the tracer is enabled, as in a real cold start.
 */
async function coldImportMs(file: string, name: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: `privatelink-automation-dev-${name}`,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      POWERTOOLS_SERVICE_NAME: 'privatelink-automation',
      POWERTOOLS_METRICS_NAMESPACE: 'PrivateLinkAutomation',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return Number(stdout.trim());
}

export async function benchBundles(): Promise<BenchSection> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-bench-'));
  try {
    const started = performance.now();
    await run(process.execPath, [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--package', dir], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const packageSeconds = (performance.now() - started) / 1000;
    const rows: (string | number)[][] = [];
    for (const zip of (await readdir(dir)).filter((f) => f.endsWith('.zip')).sort()) {
      const name = basename(zip, '.zip');
      const unpacked = join(dir, name);
      execFileSync('unzip', ['-q', '-o', join(dir, zip), '-d', unpacked]);
      const [bundle] = (await readdir(join(unpacked, 'functions'))).filter((f) => f.endsWith('.mjs'));
      if (!bundle) throw new Error(`${zip} holds no functions/*.mjs`);
      const file = join(unpacked, 'functions', bundle);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await coldImportMs(file, name));
      const zipKb = (await stat(join(dir, zip))).size / 1024;
      const bundleKb = (await stat(file)).size / 1024;
      const ms = median(times);
      const ok = zipKb <= MAX_ZIP_KB && ms <= MAX_IMPORT_MS ? 'ok' : 'OVER';
      rows.push([name, zipKb.toFixed(0), bundleKb.toFixed(0), ms.toFixed(0), ok]);
    }
    return {
      title: `Lambda bundles (esbuild ESM, minified, SDK bundled; cold import = median of ${RUNS} fresh processes)`,
      command: 'npm run bench -- bundles',
      header: ['function', 'zip KB', 'bundle KB', 'cold import ms', `≤ ${MAX_ZIP_KB} KB / ${MAX_IMPORT_MS} ms`],
      rows,
      notes: [`osls package took ${packageSeconds.toFixed(1)} s (offline, no credentials).`],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
