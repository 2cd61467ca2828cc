// Runs the CLI in-process against a fresh sandbox directory, capturing stdout and stderr.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export interface SandboxDir {
  dir: string;
  seed: string;
  cli(argv: string[]): Promise<CliRun>;
  provision(request: string | object, extra?: string[]): Promise<CliRun & { result: ProvisionResult }>;
  inventory(): Promise<{
    endpoints: { endpointId: string; state: string; tags: Record<string, string> }[];
    endpointServices: { serviceId: string; serviceName: string; state: string; tags: Record<string, string> }[];
    hostedZones: { hostedZoneId: string; name: string; records: { name: string; type: string; values: string[] }[] }[];
  }>;
  cleanup(): Promise<void>;
}

/** Seconds after which the test sandboxes' vendors accept by themselves (the default seed's wait for a person). */
export const TEST_VENDOR_ACCEPTS_AFTER_SECONDS = 45;

/**
 * A sandbox in a temporary directory, seeded from the default seed with `timing` merged in. Its vendors
 * accept endpoints by themselves after TEST_VENDOR_ACCEPTS_AFTER_SECONDS, so every example ends without a
 * second terminal; test/workflow/vendor-wait.test.ts tries the wait for a person.
 */
export async function sandboxDir(timing: Record<string, number> = {}): Promise<SandboxDir> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-'));
  const seed = JSON.parse(await readFile(new URL('../../examples/sandbox-seed.json', import.meta.url), 'utf8'));
  seed.timing = { ...(seed.timing ?? {}), ...timing };
  for (const service of seed.endpointServices as { acceptanceRequired?: boolean; vendorAcceptsAfterSeconds?: number }[])
    if (service.acceptanceRequired !== false) service.vendorAcceptsAfterSeconds ??= TEST_VENDOR_ACCEPTS_AFTER_SECONDS;
  const seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  const state = join(dir, 'state');
  const cli = (argv: string[]) => runCli([...argv, '--sandbox-state', state, '--sandbox-seed', seedFile]);
  return {
    dir: state,
    seed: seedFile,
    cli,
    async provision(request, extra = []) {
      let file = typeof request === 'string' ? request : join(dir, `request-${Date.now()}-${Math.random()}.json`);
      if (typeof request !== 'string') await writeFile(file, JSON.stringify(request));
      else if (!request.includes('/')) file = `examples/${request}`;
      const run = await cli(['provision', '--request', file, '--json', ...extra]);
      return { ...run, result: JSON.parse(run.stdout || '{}') as ProvisionResult };
    },
    async inventory() {
      const run = await cli(['sandbox', 'inventory', '--json']);
      return JSON.parse(run.stdout);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function example(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));
}
