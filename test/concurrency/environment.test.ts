// Opening the sandbox: read-only commands never write (not even a new directory), nothing is
// written back when nothing changed, and a seed other than the one the state was made from is refused.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvironment, SeedConflictError } from '../../src/core/app/environment.ts';
import { DEFAULT_SEED_PATH } from '../../src/core/sandbox/index.ts';

let dir: string;
let state: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-env-'));
  state = join(dir, 'state');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('openEnvironment', () => {
  it('read-only on a directory without a sandbox answers from the seed and creates nothing', async () => {
    const env = await openEnvironment({ stateDir: state, readOnly: true });
    expect(env.sandbox?.inventory().endpoints).toEqual([]);
    await env.sandbox?.handle('ec2', 'DescribeVpcEndpoints', {});
    await env.save();
    await env.close();
    expect(await exists(state)).toBe(false);
  });

  it('read-only on an existing sandbox writes nothing, whatever it calls', async () => {
    await (await openEnvironment({ stateDir: state })).close();
    const before = await readFile(join(state, 'sandbox.json'), 'utf8');
    const env = await openEnvironment({ stateDir: state, readOnly: true });
    await env.sandbox?.handle('ec2', 'DescribeVpcEndpoints', {});
    env.sandbox?.advance(60);
    await env.save();
    await env.close();
    expect(await readFile(join(state, 'sandbox.json'), 'utf8')).toBe(before);
  });

  it('writes the sandbox back on close only when something changed', async () => {
    await (await openEnvironment({ stateDir: state })).close();
    const first = await stat(join(state, 'sandbox.json'));
    await (await openEnvironment({ stateDir: state })).close();
    expect((await stat(join(state, 'sandbox.json'))).ino).toBe(first.ino);
    const before = await readFile(join(state, 'sandbox.json'), 'utf8');
    const env = await openEnvironment({ stateDir: state });
    await env.sandbox?.handle('ec2', 'DescribeVpcEndpoints', {});
    await env.close();
    // (compared by content: after two writes the file may reuse the first one's inode number)
    expect(await readFile(join(state, 'sandbox.json'), 'utf8')).not.toBe(before);
  });

  it('refuses another seed for an existing sandbox unless --reset; the same seed is fine', async () => {
    await (await openEnvironment({ stateDir: state, seedFile: DEFAULT_SEED_PATH })).close();
    await (await openEnvironment({ stateDir: state, seedFile: DEFAULT_SEED_PATH })).close();
    const other = JSON.parse(await readFile(DEFAULT_SEED_PATH, 'utf8'));
    other.timing = { ...(other.timing ?? {}), endpointAvailableAfterSeconds: 5 };
    const otherFile = join(dir, 'other-seed.json');
    await writeFile(otherFile, JSON.stringify(other));
    const refused = await openEnvironment({ stateDir: state, seedFile: otherFile }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SeedConflictError);
    expect((refused as SeedConflictError).code).toBe('SeedConflict');
    expect((refused as Error).message).toMatch(/another seed than .*other-seed\.json; add --reset/);
    const reset = await openEnvironment({ stateDir: state, seedFile: otherFile, reset: true });
    expect(reset.sandbox?.timing.endpointAvailableAfterSeconds).toBe(5);
    await reset.close();
  });
});
