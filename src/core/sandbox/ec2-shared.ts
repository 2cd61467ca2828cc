// What every simulated EC2 operation shares: errors, tags, filters, pages and ClientToken idempotency.
import { createHash } from 'node:crypto';
import type { Filter, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { canonicalJson } from '../domain/request.ts';
import { awsError } from './context.ts';
import type { Ec2World, Tags } from './ec2-state.ts';

export function ec2Fail(code: string, message: string): never {
  throw awsError('ec2', code, message);
}

export function required<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
    ec2Fail('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

export function tagList(tags: Tags): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

const MAX_TAGS = 50;

/** Checks tags as EC2 does and merges them into `into`; returns the merged record without touching `into`. */
export function mergeTags(into: Tags, tags: Tag[] | undefined, resourceId: string): Tags {
  const merged = { ...into };
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (key.length < 1 || key.length > 128)
      ec2Fail('InvalidParameterValue', `Tag key '${key}' must be 1-128 characters`);
    if (key.toLowerCase().startsWith('aws:'))
      ec2Fail('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
    const value = tag.Value ?? '';
    if (value.length > 256) ec2Fail('InvalidParameterValue', `Tag value for '${key}' is longer than 256 characters`);
    merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_TAGS)
    ec2Fail(
      'TagLimitExceeded',
      `The maximum number of tags (${MAX_TAGS}) for resource ${resourceId} has been reached.`,
    );
  return merged;
}

/** The tags of TagSpecifications; a spec for another resource type is refused, as EC2 does. */
export function tagsFromSpecifications(specs: TagSpecification[] | undefined, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== resourceType)
      ec2Fail(
        'InvalidParameterValue',
        `'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`,
      );
    tags.push(...(spec.Tags ?? []));
  }
  return tags;
}

function globPattern(value: string): RegExp {
  const escaped = value
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

export type FilterFields<T> = Record<string, (item: T) => (string | undefined)[]>;

/**
 * EC2 filter semantics: every filter must match (AND), any of its values may (OR), `*` and `?` are
 * wildcards, `tag:KEY` and `tag-key` work on any taggable resource, an unknown filter name is an error.
 */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  fields: FilterFields<T>,
  tagsOf: (item: T) => Tags,
): T[] {
  const checks = (filters ?? []).map((filter) => {
    const name = filter.Name ?? '';
    let read = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      read = (item) => [tagsOf(item)[key]];
    } else if (name === 'tag-key') read = (item) => Object.keys(tagsOf(item));
    if (!read) ec2Fail('InvalidParameterValue', `The filter '${name}' is invalid`);
    const patterns = (filter.Values ?? []).map(globPattern);
    if (patterns.length === 0) ec2Fail('InvalidParameterValue', `The filter '${name}' requires at least one value`);
    return { read, patterns };
  });
  return items.filter((item) =>
    checks.every(({ read, patterns }) =>
      read(item).some((value) => value !== undefined && patterns.some((p) => p.test(value))),
    ),
  );
}

/** MaxResults / NextToken over an already filtered list. */
export function page<T>(
  items: T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: T[]; NextToken?: string } {
  let start = 0;
  if (nextToken) {
    start = Number(
      Buffer.from(nextToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      ec2Fail('InvalidPaginationToken', `Invalid pagination token: ${nextToken}`);
  }
  if (maxResults === undefined) return { items: items.slice(start) };
  if (!Number.isInteger(maxResults) || maxResults < 1) ec2Fail('InvalidParameterValue', 'MaxResults must be positive');
  const end = start + maxResults;
  return end < items.length
    ? { items: items.slice(start, end), NextToken: Buffer.from(`offset:${end}`).toString('base64url') }
    : { items: items.slice(start) };
}

/**
 * ClientToken idempotency: the same token with the same parameters returns what the first call
 * created — as EC2 does, its first answer again even once that resource is deleted — and the same
 * token with other parameters is IdempotentParameterMismatch.
 */
export function idempotent<R>(
  w: Ec2World,
  operation: string,
  region: string,
  input: { ClientToken?: string | undefined; DryRun?: boolean | undefined },
  existing: (resourceId: string) => R | undefined,
  create: () => { resourceId: string; result: R },
): R {
  const token = input.ClientToken;
  if (token === undefined) return create().result;
  if (token.length > 64) ec2Fail('InvalidParameterValue', 'ClientToken must be at most 64 characters');
  const { ClientToken: _token, DryRun: _dryRun, ...parameters } = input;
  const fingerprint = createHash('sha256').update(canonicalJson(parameters)).digest('hex');
  const key = `${operation}:${region}:${token}`;
  const seen = w.state.clientTokens[key];
  if (seen) {
    if (seen.fingerprint !== fingerprint)
      ec2Fail(
        'IdempotentParameterMismatch',
        `The client token ${token} was already used with different parameters for ${seen.resourceId}`,
      );
    const previous = existing(seen.resourceId);
    if (previous !== undefined) return previous;
    if (seen.firstAnswer !== undefined) return structuredClone(seen.firstAnswer) as R;
  }
  const { resourceId, result } = create();
  w.state.clientTokens[key] = { fingerprint, resourceId, firstAnswer: structuredClone(result) };
  return result;
}

/** A short deterministic lowercase alphanumeric string derived from `seed`. */
export function alnum(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, length), (byte) => chars[byte % chars.length]).join('');
}

/** A deterministic integer in [0, modulo) derived from `seed`. */
export function hashIndex(seed: string, modulo: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % modulo;
}

/**
 * A Describe call's list of ids: each must name one of `items` (else `code`, as EC2 fails the whole
 * call), answered in the order asked. Without a list, every item.
 */
export function pickByIds<T>(
  items: T[],
  ids: string[] | undefined,
  idOf: (item: T) => string | undefined,
  code: string,
  message: (id: string) => string,
): T[] {
  if (!ids?.length) return items;
  return ids.map((id) => items.find((item) => idOf(item) === id) ?? ec2Fail(code, message(id)));
}
