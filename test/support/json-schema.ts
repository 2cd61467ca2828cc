// A checker for the subset of JSON Schema (2020-12) that docs/openapi.json and schemas/ use. No
// validator is a dependency of the project, and this subset is small; an unknown keyword is an error
// rather than silently passing, so a document cannot grow a rule this checker ignores.
import { readFileSync } from 'node:fs';

export type Schema = boolean | { [keyword: string]: unknown };

const ANNOTATIONS = new Set([
  'description',
  'default',
  'example',
  'examples',
  'format',
  'title',
  '$comment',
  '$schema',
  '$id',
  '$defs',
]);
const ASSERTIONS = new Set([
  '$ref',
  'allOf',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'oneOf',
  'anyOf',
  'not',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const typeMatches = (value: unknown, type: string) =>
  typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer');

/** Resolves a local `#/a/b` reference in `root`. */
export function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  let node = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!node || typeof node !== 'object' || !(key in node)) throw new Error(`unresolved reference ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Loads another document a `$ref` names (`other.json` or `other.json#/…`). */
export type DocumentLoader = (file: string) => unknown;

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it conforms. */
export function validate(
  value: unknown,
  schema: Schema,
  root: unknown,
  path = '$',
  load: DocumentLoader = (file) => {
    throw new Error(`no loader for the reference to ${file}`);
  },
): string[] {
  const check = (v: unknown, s: Schema, at: string, r: unknown = root) => validate(v, s, r, at, load);
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  for (const keyword of Object.keys(schema))
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword))
      throw new Error(`${path}: the checker does not know the keyword "${keyword}"`);
  const s = schema as Record<string, unknown>;

  if (typeof s.$ref === 'string') {
    const [file, pointer] = s.$ref.split('#');
    const target = file ? load(file) : root;
    errors.push(...check(value, (pointer ? resolveRef(target, `#${pointer}`) : target) as Schema, path, target));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(value, t))) {
      fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return errors;
    }
  }
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value))
    fail(`expected ${JSON.stringify(s.const)}, got ${JSON.stringify(value)}`);

  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      fail(`${JSON.stringify(value.slice(0, 80))} does not match ${s.pattern}`);
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) fail(`shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) fail(`longer than ${s.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`less than ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`more than ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail(`fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail(`more than ${s.maxItems} items`);
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      fail('items are not unique');
    if (s.items !== undefined)
      for (const [i, item] of value.entries()) errors.push(...check(item, s.items as Schema, `${path}[${i}]`));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required ?? []) as string[]) if (!(key in object)) fail(`missing required "${key}"`);
    if (typeof s.maxProperties === 'number' && Object.keys(object).length > s.maxProperties)
      fail(`more than ${s.maxProperties} properties`);
    for (const [key, item] of Object.entries(object)) {
      if (s.propertyNames !== undefined)
        errors.push(...check(key, s.propertyNames as Schema, `${path} key ${JSON.stringify(key)}`));
      const known = properties[key];
      if (known !== undefined) errors.push(...check(item, known, `${path}.${key}`));
      else if (s.additionalProperties !== undefined)
        errors.push(...check(item, s.additionalProperties as Schema, `${path}.${key}`));
    }
  }
  for (const sub of (s.allOf ?? []) as Schema[]) errors.push(...check(value, sub, path));
  if (Array.isArray(s.oneOf)) {
    const passing = (s.oneOf as Schema[]).filter((sub) => check(value, sub, path).length === 0).length;
    if (passing !== 1) fail(`matches ${passing} of the oneOf alternatives, not exactly 1`);
  }
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => check(value, sub, path).length === 0))
    fail('matches none of the anyOf alternatives');
  if (s.not !== undefined && check(value, s.not as Schema, path).length === 0) fail('matches a schema it must not');
  return errors;
}

const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);
const loadSchema: DocumentLoader = (file) => JSON.parse(readFileSync(new URL(file, SCHEMAS_DIR), 'utf8'));

/** The reasons `value` does not match `schemas/<file>`; empty when it does. */
export function validateAgainst(file: string, value: unknown): string[] {
  const root = loadSchema(file);
  return validate(value, root as Schema, root, '$', loadSchema);
}
