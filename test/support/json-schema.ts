// A small JSON Schema (2020-12) validator for the subset schemas/ uses. It refuses any keyword it does
// not implement, so a schema can never pass by relying on one it silently ignores.
import { readFileSync } from 'node:fs';

type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', 'examples', '$comment']);
const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  '$ref',
  'allOf',
  'oneOf',
]);

export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

const documents = new Map<string, Record<string, unknown>>();
function load(file: string): Record<string, unknown> {
  let document = documents.get(file);
  if (!document) {
    document = JSON.parse(readFileSync(new URL(file, SCHEMAS_DIR), 'utf8')) as Record<string, unknown>;
    documents.set(file, document);
  }
  return document;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `#/$defs/x` in the current file, `other.json`, or `other.json#/$defs/x`. */
function resolve(ref: string, file: string): { schema: Schema; file: string } {
  const [target = '', pointer = ''] = ref.split('#');
  const resolvedFile = target === '' ? file : target;
  let node: unknown = load(resolvedFile);
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[part];
  if (node === undefined) throw new Error(`${file}: $ref ${ref} names nothing`);
  return { schema: node as Schema, file: resolvedFile };
}

function check(schema: Schema, value: unknown, path: string, file: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: is not allowed`);
    return;
  }
  for (const key of Object.keys(schema))
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`${file}: keyword ${key} is not supported`);
  const s = schema as Record<string, unknown>;
  const type = typeOf(value);

  if (typeof s.$ref === 'string') {
    const target = resolve(s.$ref, file);
    check(target.schema, value, path, target.file, errors);
  }
  for (const sub of (s.allOf as Schema[] | undefined) ?? []) check(sub, value, path, file, errors);
  if (Array.isArray(s.oneOf)) {
    const passing = s.oneOf.filter((sub: Schema) => validateAt(sub, value, path, file).length === 0).length;
    if (passing !== 1)
      errors.push(`${path}: matches ${passing} of the ${s.oneOf.length} alternatives, not exactly one`);
  }
  if (s.type !== undefined) {
    const allowed = [s.type].flat() as string[];
    if (!allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))) {
      errors.push(`${path}: is ${type}, not ${allowed.join(' or ')}`);
      return;
    }
  }
  if ('const' in s && !deepEqual(s.const, value)) errors.push(`${path}: is not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((option) => deepEqual(option, value)))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);

  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      errors.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
    if (typeof s.minLength === 'number' && [...value].length < s.minLength)
      errors.push(`${path}: is shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength)
      errors.push(`${path}: is longer than ${s.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${path}: is below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${path}: is above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      errors.push(`${path}: has fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      errors.push(`${path}: has more than ${s.maxItems} items`);
    if (s.items !== undefined)
      for (const [i, item] of value.entries()) check(s.items as Schema, item, `${path}/${i}`, file, errors);
  }
  if (type === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? [])
      if (!(key in object)) errors.push(`${path}: ${key} is required`);
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, child] of Object.entries(object)) {
      const sub = properties[key];
      if (sub !== undefined) check(sub, child, `${path}/${key}`, file, errors);
      else if (s.additionalProperties === false) errors.push(`${path}: ${key} is not a known field`);
      else if (s.additionalProperties !== undefined)
        check(s.additionalProperties as Schema, child, `${path}/${key}`, file, errors);
    }
  }
}

function validateAt(schema: Schema, value: unknown, path: string, file: string): string[] {
  const errors: string[] = [];
  check(schema, value, path, file, errors);
  return errors;
}

/** The reasons `value` does not match `schemas/<file>`; empty when it does. */
export function validateAgainst(file: string, value: unknown): string[] {
  return validateAt(load(file), value, '', file);
}
