// How each edge's corpus cases reach the product. One JSON file per edge in test/corpus/
// ({ edge, description, cases: [{ name, input, expect }] }); each edge names a driver here.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxDir } from '../support/cli.ts';
import { example } from '../support/cli.ts';

export interface CorpusExpect {
  /** CLI exit code */
  exit?: number;
  /** HTTP status */
  status?: number;
  /** a substring of what the caller is told */
  message?: string;
  /** a substring naming the field, e.g. "consumer.subnetIds.1" */
  path?: string;
}

export interface CorpusCase {
  name: string;
  input: unknown;
  expect: CorpusExpect;
}

export interface CorpusFile {
  edge: string;
  description?: string;
  cases: CorpusCase[];
}

export interface Outcome {
  /** the exit code or HTTP status */
  code: number;
  /** everything the caller was told (stdout, stderr, body) */
  text: string;
}

/** Runs one case's input against a fresh sandbox; the runner then checks that nothing was created. */
export type Driver = (input: unknown, sandbox: SandboxDir) => Promise<Outcome>;

/**
 * Inputs are JSON with a few expansions, so big or odd values stay readable as data:
 * { "$base": "<example file>", "$set": { "dotted.path": value }, "$delete": ["path"] } starts from an example;
 * { "$repeat": "ab", "times": 300, "prefix": "", "suffix": "" } is a long string;
 * { "$bigTags": N } is N tags with 1 KB values (megabytes of request); { "$raw": "text" } is a file's text as is.
 */
export async function expand(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(expand));
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.$repeat === 'string') return `${v.prefix ?? ''}${v.$repeat.repeat(Number(v.times))}${v.suffix ?? ''}`;
  if (typeof v.$bigTags === 'number')
    return Object.fromEntries(Array.from({ length: v.$bigTags }, (_, i) => [`tag${i}`, 'v'.repeat(1024)]));
  if (typeof v.$base === 'string') {
    const base = structuredClone(await example(v.$base)) as Record<string, unknown>;
    for (const [path, item] of Object.entries((v.$set ?? {}) as Record<string, unknown>))
      setPath(base, path.split('.'), await expand(item));
    for (const path of (v.$delete ?? []) as string[]) setPath(base, path.split('.'), undefined);
    return base;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(v))
    Object.defineProperty(out, key, {
      value: await expand(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else Object.defineProperty(target, head, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (target[head] === undefined || target[head] === null) target[head] = {};
  setPath(target[head] as Record<string, unknown>, rest, value);
}

const cliText = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;

export const DRIVERS: Record<string, Driver> = {
  /** `privatelink provision --request FILE` with the case's input as the file */
  async 'cli-request'(input, sandbox) {
    const file = join(sandbox.dir, '..', 'corpus-request.json');
    const raw =
      input && typeof input === 'object' && '$raw' in input ? String((input as { $raw: unknown }).$raw) : undefined;
    await writeFile(file, raw ?? JSON.stringify(await expand(input)));
    const run = await sandbox.cli(['provision', '--request', file]);
    return { code: run.code, text: cliText(run) };
  },
  /** `privatelink <argv…>` */
  async 'cli-args'(input, sandbox) {
    const run = await sandbox.cli(input as string[]);
    return { code: run.code, text: cliText(run) };
  },
};
