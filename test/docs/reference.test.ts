// docs/reference/ stands alone and keeps up with the code: every link stays inside the repository and
// resolves (anchors too), and each page names everything its part of the code has (fields, commands,
// flags, routes, examples, event schemas).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_LIST } from '../../src/cli/commands/index.ts';
import { COMMON_FLAGS, WHERE_FLAGS } from '../../src/cli/flags.ts';

const ROOT = normalize(join(import.meta.dirname, '../..'));
const DOCS = 'docs/reference';
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readJson = (path: string): Record<string, unknown> => JSON.parse(read(path));
const PAGES = readdirSync(join(ROOT, DOCS)).filter((name) => name.endsWith('.md'));

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
}

function anchors(markdown: string): Set<string> {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...outsideCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

/** Markdown links `[text](target)` outside code blocks. */
function links(markdown: string): string[] {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, '');
  return [...outsideCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

/** Every property name a JSON Schema declares, at any depth. */
function propertyNames(schema: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) propertyNames(item, names);
  else if (schema && typeof schema === 'object')
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value && typeof value === 'object')
        for (const name of Object.keys(value)) names.add(name);
      propertyNames(value, names);
    }
  return names;
}

const unnamed = (page: string, names: Iterable<string>) => {
  const text = read(`${DOCS}/${page}`);
  return [...names].filter((name) => !text.includes(`\`${name}\``) && !text.includes(`"${name}"`));
};

describe('docs/reference links', () => {
  it('has the pages the README of the folder lists', () => {
    const index = read(`${DOCS}/README.md`);
    for (const page of PAGES.filter((p) => p !== 'README.md')) expect(index, page).toContain(`](${page})`);
  });

  it('links only inside the repository, to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      const text = read(`${DOCS}/${page}`);
      expect(text, `${page} names a file outside the repository`).not.toMatch(/\.\.\/shared|CONTRACT\.md|VENDORS\.md/);
      for (const target of links(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          broken.push(`${page}: ${target} leaves the repository`);
          continue;
        }
        const [file = '', anchor] = target.split('#');
        const path = file ? normalize(join(DOCS, file)) : `${DOCS}/${page}`;
        if (relative(ROOT, join(ROOT, path)).startsWith('..')) broken.push(`${page}: ${target} leaves the repository`);
        else if (!existsSync(join(ROOT, path))) broken.push(`${page}: ${target} does not exist`);
        else if (anchor && !anchors(read(path)).has(anchor)) broken.push(`${page}: ${target} names no heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    expect(slug('`endpointServices[]`: vendors\u2019 services')).toBe('endpointservices-vendors-services');
    expect(slug('Load-balanced MongoDB (serverless)')).toBe('load-balanced-mongodb-serverless');
    expect(dirname(`${DOCS}/x.md`)).toBe(DOCS);
  });
});

describe('docs/reference names everything', () => {
  it('request.md: every field of the request schema', () => {
    expect(unnamed('request.md', propertyNames(readJson('schemas/request.schema.json')))).toEqual([]);
  });

  it('seed.md: every field of the seed schema', () => {
    expect(unnamed('seed.md', propertyNames(readJson('schemas/seed.schema.json')))).toEqual([]);
  });

  it('result.md: every field of the result schema and every status', () => {
    const result = readJson('schemas/result.json');
    expect(unnamed('result.md', propertyNames(result))).toEqual([]);
    const statuses = (result.properties as { status: { enum: string[] } }).status.enum;
    expect(unnamed('result.md', statuses)).toEqual([]);
  });

  it('cli.md and exit-codes.md: every command; cli.md or its command pages: every flag a command takes', () => {
    const commands = COMMAND_LIST.map((spec) => spec.name);
    const table = read(`${DOCS}/cli.md`);
    const codes = read(`${DOCS}/exit-codes.md`);
    const vendorVerbs = (name: string) => name.replace(/^sandbox vendor (accept|reject)$/, 'sandbox vendor');
    expect(commands.filter((name) => !table.includes(`\`${vendorVerbs(name)}`))).toEqual([]);
    expect(
      commands.filter((name) => !codes.includes(`\`${name}\``) && !codes.includes(`\`${vendorVerbs(name)} `)),
    ).toEqual([]);
    const both = table + read(`${DOCS}/cli-commands.md`);
    const flags = new Set([...COMMON_FLAGS, ...WHERE_FLAGS, ...COMMAND_LIST.flatMap((spec) => spec.flags)]);
    expect([...flags].filter((flag) => !both.includes(`--${flag}`))).toEqual([]);
  });

  it('http.md: every route of docs/openapi.json', () => {
    const paths = readJson('docs/openapi.json').paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => method !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const text = read(`${DOCS}/http.md`);
    expect(routes.filter((route) => !text.includes(`\`${route}\``))).toEqual([]);
  });

  it('flows.md: every example request; events.md: every event schema', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter(
      (n) => n.endsWith('.json') && n !== 'sandbox-seed.json',
    );
    const flows = read(`${DOCS}/flows.md`);
    expect(examples.filter((name) => !flows.includes(`examples/${name}`))).toEqual([]);
    const events = read(`${DOCS}/events.md`);
    const eventSchemas = ['cluster-created.json', 'event-envelope.json', 'private-endpoint-ready.json'];
    expect(eventSchemas.filter((name) => !events.includes(name))).toEqual([]);
    for (const name of ['private-endpoint-failed.json', 'private-endpoint-deleted.json'])
      expect(events).toContain(name);
  });
});
