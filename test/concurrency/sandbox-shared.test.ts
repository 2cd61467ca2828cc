// Two Sandbox instances on one directory (two processes' views of one account): each call applies
// to the latest revision either wrote, so neither loses the other's zones; a read-only one sees
// them and writes nothing; the shared clock never goes back. Needs the sandbox bound to its
// directory (Sandbox.share); skipped until then.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PATH, loadSeed, Sandbox } from '../../src/core/sandbox/index.ts';

const VPC = { VPCRegion: 'us-east-1', VPCId: 'vpc-0a1b2c3d4e5f67890' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'privatelink-sandbox-shared-'));
  await Sandbox.fromSeed(await loadSeed(DEFAULT_SEED_PATH)).save(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The account as a process opens it: loaded from the directory, and shared through it unless read-only. */
async function opened(options: { readOnly?: boolean } = {}): Promise<Sandbox> {
  const sandbox = await Sandbox.load(dir);
  if (!sandbox) throw new Error('no sandbox saved');
  if (!options.readOnly) sandbox.share(dir);
  return sandbox;
}

const zone = (sandbox: Sandbox, name: string) =>
  sandbox.handle('route53', 'CreateHostedZone', {
    Name: name,
    CallerReference: `ref-${name}`,
    VPC,
    HostedZoneConfig: { PrivateZone: true },
  });

describe('one account, two views of it', () => {
  it('interleaved calls from two instances keep every zone, with distinct ids', async () => {
    const [a, b] = [await opened(), await opened()];
    for (let i = 0; i < 10; i++) await zone(i % 2 === 0 ? a : b, `z${i}.internal.example.com`);
    const fresh = await opened();
    const zones = fresh.inventory().hostedZones;
    console.log(`concurrency: two sandbox instances on one directory: ${zones.length}/10 zones kept`);
    expect(zones.map((z) => z.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `z${i}.internal.example.com`).sort(),
    );
    expect(new Set(zones.map((z) => z.hostedZoneId)).size).toBe(10);
  });

  it('10 calls from each of two instances at once: 20 zones', async () => {
    const [a, b] = [await opened(), await opened()];
    await Promise.all(Array.from({ length: 20 }, (_, i) => zone(i % 2 === 0 ? a : b, `c${i}.internal.example.com`)));
    expect((await opened()).inventory().hostedZones).toHaveLength(20);
  });

  it('a read-only instance sees what others wrote and never writes, whatever it calls', async () => {
    const writer = await opened();
    await zone(writer, 'seen.internal.example.com');
    const reader = await opened({ readOnly: true });
    const before = await readFile(join(dir, 'sandbox.json'), 'utf8');
    const listed = (await reader.handle('route53', 'ListHostedZones', {})) as { HostedZones: { Name: string }[] };
    expect(listed.HostedZones.map((z) => z.Name)).toEqual(['seen.internal.example.com.']);
    await zone(reader, 'never.internal.example.com');
    reader.advance(60);
    expect(await readFile(join(dir, 'sandbox.json'), 'utf8')).toBe(before);
  });

  it('the clock is shared and never goes back: waits that overlap count once', async () => {
    const [a, b] = [await opened(), await opened()];
    const start = a.clock.now();
    a.advance(30);
    await a.save(dir);
    b.advance(10); // b waited 10 s while a waited 30 s
    await zone(b, 'late.internal.example.com');
    expect(b.clock.now()).toBeGreaterThanOrEqual(start + 30_000);
    expect(b.clock.now()).toBeLessThan(start + 40_000);
    // a's next call starts from the shared clock (and takes its own latency on top)
    const bNow = b.clock.now();
    await a.handle('route53', 'ListHostedZones', {});
    expect(a.clock.now()).toBeGreaterThan(bNow);
  });
});
