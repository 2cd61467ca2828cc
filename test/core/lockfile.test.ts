// `npm ci` (what CI runs) refuses a lock that lacks an optional platform package; see the script.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { missingEntries } from '../../scripts/complete-lockfile.mjs';

it('package-lock.json lists every Biome platform package (else: node scripts/complete-lockfile.mjs)', () => {
  const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
  expect(missingEntries(lock).map(([key]: [string]) => key)).toEqual([]);
});
