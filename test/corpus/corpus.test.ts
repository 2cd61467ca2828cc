// The bad-input corpus: every case of every edge (one JSON file per edge in this directory) is refused
// with the expected code and a message naming the problem, and the sandbox account stays empty.

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type SandboxDir, sandboxDir } from '../support/cli.ts';
import { EMPTY_INVENTORY } from '../support/empty-inventory.ts';
import { type CorpusFile, DRIVERS } from './drivers.ts';

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as CorpusFile) }));
const planned = files.reduce((n, f) => n + f.cases.length, 0);
let passed = 0;

afterAll(() => {
  console.log(`corpus: ${passed}/${planned}`);
  expect(passed).toBe(planned);
});

it('has cases, each edge with a driver', () => {
  expect(planned).toBeGreaterThanOrEqual(50);
  for (const file of files) expect(DRIVERS[file.edge], `${file.name}: no driver for edge ${file.edge}`).toBeDefined();
});

for (const file of files)
  describe(`${file.edge} (${file.name})`, () => {
    it.each(file.cases.map((c) => [c.name, c] as const))('%s', async (_name, corpusCase) => {
      const driver = DRIVERS[file.edge];
      if (!driver) throw new Error(`no driver for edge ${file.edge}`);
      let sandbox: SandboxDir | undefined;
      try {
        sandbox = await sandboxDir();
        const outcome = await driver(corpusCase.input, sandbox);
        const { exit, status, message, path } = corpusCase.expect;
        expect(outcome.code, outcome.text).toBe(exit ?? status);
        if (message) expect(outcome.text).toContain(message);
        if (path) expect(outcome.text).toContain(path);
        // Refused, never a crash: no stack trace reaches the caller.
        expect(outcome.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect(await sandbox.inventory()).toEqual(EMPTY_INVENTORY);
      } finally {
        await sandbox?.cleanup();
      }
      passed++;
    });
  });
