// Shared by the Atlas tests: one fake Atlas per file, an adapter on it with an injected clock and sleep.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildAtlasAdapter } from '../../src/core/atlas/adapter.ts';
import type { AtlasAdapterOptions } from '../../src/core/atlas/client.ts';
import { clearAtlasTokens } from '../../src/core/atlas/oauth.ts';
import type { AtlasPort } from '../../src/core/ports.ts';
import { tokenFixture } from './fixtures.ts';
import { type FakeAtlas, startFakeAtlas } from './server.ts';

export const PROJECT = '6123456789abcdef01234567';
export const SERVICE = '65a1b2c3d4e5f60718293a4b';
export const VPCE = 'vpce-0df793f9c89c24a3b';

export interface Harness {
  atlas: FakeAtlas;
  /** the adapter's clock, in ms; tests move it */
  time: { now: number };
  /** every pause the adapter asked for, in ms */
  sleeps: number[];
  adapter(options?: Partial<AtlasAdapterOptions>): AtlasPort;
}

export function useFakeAtlas(): Harness {
  const harness = {
    time: { now: Date.UTC(2026, 11, 1, 20, 0, 0) },
    sleeps: [] as number[],
  } as Harness;
  beforeAll(async () => {
    harness.atlas = await startFakeAtlas();
  });
  afterAll(async () => {
    await harness.atlas.close();
  });
  beforeEach(() => {
    harness.atlas.reset();
    harness.sleeps.length = 0;
    clearAtlasTokens();
  });
  harness.adapter = (options = {}) =>
    buildAtlasAdapter({
      baseUrl: harness.atlas.baseUrl,
      credentials: async () => tokenFixture().credentials,
      now: () => harness.time.now,
      sleep: async (ms) => {
        harness.sleeps.push(ms);
      },
      ...options,
    });
  return harness;
}

/** What a failed promise rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
