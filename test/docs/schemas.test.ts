// schemas/request.schema.json and schemas/seed.schema.json are generated from the zod schemas; they
// stay in step with the code, and every example names its schema and passes both it and the code.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED } from '../../scripts/generate-schemas.ts';
import { parseProvisionRequest } from '../../src/core/domain/request.ts';
import { parseSeed } from '../../src/core/sandbox/seed.ts';
import { type Schema, validate } from '../support/json-schema.ts';

const ROOT = new URL('../../', import.meta.url);
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8'));
const EXAMPLES = readdirSync(new URL('examples/', ROOT)).filter((name) => name.endsWith('.json'));
const REQUEST_SCHEMA = '../schemas/request.schema.json';
const SEED_SCHEMA = '../schemas/seed.schema.json';

function check(value: unknown, file: 'request' | 'seed'): string[] {
  const schema = readJson(`schemas/${file}.schema.json`);
  return validate(value, schema as Schema, schema);
}

describe('generated reference files', () => {
  it('generates the two schemas and the CLI reference', () => {
    expect(GENERATED.map((f) => f.path)).toEqual([
      'schemas/request.schema.json',
      'schemas/seed.schema.json',
      'docs/reference/cli-commands.md',
    ]);
  });

  it.each(GENERATED.map((file) => [file.path, file] as const))(
    '%s is what the code makes of it today',
    (path, file) => {
      const committed = readFileSync(new URL(path, ROOT), 'utf8');
      expect(committed, `${path} is stale: run \`npx tsx scripts/generate-schemas.ts\``).toBe(file.generate());
    },
  );

  it('every top-level field has a title and a description', () => {
    for (const file of ['request', 'seed'] as const) {
      const schema = readJson(`schemas/${file}.schema.json`);
      expect(schema.title, file).toEqual(expect.any(String));
      for (const [key, field] of Object.entries(schema.properties as Record<string, Record<string, unknown>>)) {
        expect(field.title, `${file}.${key}`).toEqual(expect.any(String));
        expect(field.description, `${file}.${key}`).toEqual(expect.any(String));
      }
    }
  });

  it('describes the service and consumer alternatives and the tags, not "anything"', () => {
    const properties = readJson('schemas/request.schema.json').properties as Record<string, Record<string, unknown>>;
    const branchKeys = (field: string) =>
      ((properties[field]?.anyOf ?? []) as { required: string[] }[]).map((branch) => branch.required[0]);
    expect(branchKeys('service')).toEqual(['create', 'atlas', 'vendor', 'serviceName']);
    expect(branchKeys('consumer')).toEqual(['vpcId', 'external']);
    expect(properties.tags?.type).toBe('object');
  });
});

describe('examples/', () => {
  it('every example names its schema with "$schema", first', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(8);
    for (const name of EXAMPLES) {
      const text = readFileSync(new URL(`examples/${name}`, ROOT), 'utf8');
      const expected = name === 'sandbox-seed.json' ? SEED_SCHEMA : REQUEST_SCHEMA;
      expect(Object.keys(JSON.parse(text))[0], name).toBe('$schema');
      expect(JSON.parse(text).$schema, name).toBe(expected);
    }
  });

  it('every request example passes its schema and parseProvisionRequest', () => {
    for (const name of EXAMPLES.filter((n) => n !== 'sandbox-seed.json')) {
      const example = readJson(`examples/${name}`);
      expect(check(example, 'request'), name).toEqual([]);
      const parsed = parseProvisionRequest(example);
      expect(parsed.ok ? [] : parsed.issues, name).toEqual([]);
    }
  });

  it('the seed passes its schema and parseSeed', () => {
    const seed = readJson('examples/sandbox-seed.json');
    expect(check(seed, 'seed')).toEqual([]);
    expect(parseSeed(seed).accountId).toBe('111122223333');
  });

  it('the schemas refuse what the code refuses (so the checks above can fail)', () => {
    const request = readJson('examples/orders-nlb-tcp.json');
    const { region: _, ...withoutRegion } = request;
    expect(check(withoutRegion, 'request')).toEqual(['$: missing required "region"']);
    expect(check({ ...request, regoin: 'us-east-1' }, 'request')).toEqual(['$.regoin: no value is allowed here']);
    expect(check({ ...request, service: { vendor: 'nobody' } }, 'request')).toEqual([
      '$.service: matches none of the anyOf alternatives',
    ]);
    expect(check({ ...request, consumer: { external: { accountId: '12' } } }, 'request')).toEqual([
      '$.consumer: matches none of the anyOf alternatives',
    ]);
    expect(check({ ...request, tags: { team: 7 } }, 'request')).toEqual(['$.tags.team: expected string, got integer']);
    expect(check({ ...request, vendorDeadlineSeconds: 30 }, 'request')).toEqual([
      '$.vendorDeadlineSeconds: less than 60',
    ]);
    const seed = readJson('examples/sandbox-seed.json');
    expect(check({ ...seed, accountId: '1111' }, 'seed')).toEqual(['$.accountId: "1111" does not match ^\\d{12}$']);
    expect(check({ ...seed, vpcs: [{ vpcId: 'vpc-1' }] }, 'seed')).not.toEqual([]);
  });
});
