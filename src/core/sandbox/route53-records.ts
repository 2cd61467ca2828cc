// Resource record sets: ChangeResourceRecordSets validation and application, and their listing order.
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { fail, invalidInput } from './route53-errors.ts';
import { compareNames, isInZone, normalizeName, sortKey } from './route53-names.ts';
import { checkValue, RECORD_TYPES } from './route53-values.ts';

export interface StoredAlias {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

/** One record set; names lowercased with the trailing dot. Either ttl + values, or alias. */
export interface StoredRecordSet {
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  alias?: StoredAlias;
}

const ACTIONS = ['CREATE', 'DELETE', 'UPSERT'];
const MAX_TTL = 2_147_483_647;

function enumProblem(value: unknown, path: string, allowed: string[]): Error {
  return invalidInput(
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function changeLabel(action: string, set: ResourceRecordSet, name: string): string {
  return `Change with [Action=${action}, Name=${name}, Type=${set.Type}, SetIdentifier=${set.SetIdentifier ?? 'null'}]`;
}

/** Turns one change into a stored set; shape errors (InvalidInput) throw, content errors are returned. */
function parseChange(change: Change, index: number, zoneName: string): { set?: StoredRecordSet; problems: string[] } {
  const path = `changeBatch.changes.${index + 1}.member`;
  if (!ACTIONS.includes(change.Action as string)) throw enumProblem(change.Action, `${path}.action`, ACTIONS);
  const input = change.ResourceRecordSet;
  if (!input || typeof input.Name !== 'string') {
    throw invalidInput(
      `1 validation error detected: Value null at '${path}.resourceRecordSet.name' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (!RECORD_TYPES.includes(input.Type as string)) {
    throw enumProblem(input.Type, `${path}.resourceRecordSet.type`, RECORD_TYPES);
  }
  if (input.SetIdentifier !== undefined) {
    // Routing policies would need their own identity per set; the workflow never uses them.
    throw fail('UnsupportedOperation', 'The sandbox does not simulate routing policies (SetIdentifier).');
  }
  const type = input.Type as string;
  const name = normalizeName(input.Name);
  if (name === undefined) {
    return {
      problems: [
        `FATAL problem: DomainNameInvalid (Value is not a valid domain name) encountered with '${input.Name}'`,
      ],
    };
  }
  const hasRecords = input.TTL !== undefined || input.ResourceRecords !== undefined;
  if (input.AliasTarget && hasRecords) {
    throw invalidInput(
      'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or ' +
        `TrafficPolicyInstanceId], but found more than one in ${changeLabel(change.Action as string, input, name)}`,
    );
  }
  if (!input.AliasTarget && (input.TTL === undefined || !input.ResourceRecords?.length)) {
    throw invalidInput(
      'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or ' +
        `TrafficPolicyInstanceId], but found none in ${changeLabel(change.Action as string, input, name)}`,
    );
  }
  if (input.TTL !== undefined && (!Number.isInteger(input.TTL) || input.TTL < 0 || input.TTL > MAX_TTL)) {
    throw invalidInput(`Invalid request: TTL ${input.TTL} is outside the range 0 to ${MAX_TTL}`);
  }

  const problems: string[] = [];
  if (!isInZone(name, zoneName)) problems.push(`RRSet with DNS name ${name} is not permitted in zone ${zoneName}`);
  if (type === 'CNAME' && name === zoneName && change.Action !== 'DELETE') {
    problems.push(`RRSet of type CNAME with DNS name ${name} is not permitted at apex in zone ${zoneName}`);
  }
  if (input.AliasTarget) {
    const target = input.AliasTarget;
    const dnsName = normalizeName(target.DNSName ?? '');
    if (!target.HostedZoneId || dnsName === undefined) {
      throw invalidInput(
        `Invalid request: AliasTarget needs HostedZoneId and DNSName in ${changeLabel(change.Action as string, input, name)}`,
      );
    }
    const alias = {
      hostedZoneId: target.HostedZoneId.replace(/^\/hostedzone\//, ''),
      dnsName,
      evaluateTargetHealth: target.EvaluateTargetHealth === true,
    };
    return { set: { name, type, alias }, problems };
  }

  const values = (input.ResourceRecords ?? []).map((r) => r.Value ?? '');
  for (const value of values) {
    const problem = checkValue(type, value);
    if (problem) problems.push(problem);
  }
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) problems.push(`Duplicate Resource Record: '${duplicate}'`);
  if ((type === 'CNAME' || type === 'SOA') && values.length > 1) {
    problems.push(`RRSet of type ${type} with DNS name ${name} must have exactly one resource record`);
  }
  return { set: { name, type, ttl: input.TTL, values }, problems };
}

function sameContent(a: StoredRecordSet, b: StoredRecordSet): boolean {
  if (a.alias || b.alias) {
    return (
      a.alias?.hostedZoneId === b.alias?.hostedZoneId &&
      a.alias?.dnsName === b.alias?.dnsName &&
      a.alias?.evaluateTargetHealth === b.alias?.evaluateTargetHealth
    );
  }
  const va = [...(a.values ?? [])].sort();
  const vb = [...(b.values ?? [])].sort();
  return a.ttl === b.ttl && va.length === vb.length && va.every((v, i) => v === vb[i]);
}

function label(set: { name: string; type: string }): string {
  return `[name='${set.name}', type='${set.type}']`;
}

/**
 * Applies a batch atomically: the record sets after every change, or InvalidChangeBatch listing every
 * problem. Changes apply in order, so a DELETE followed by a CREATE of the same set replaces it.
 */
export function applyChanges(zoneName: string, current: StoredRecordSet[], changes: Change[]): StoredRecordSet[] {
  if (changes.length === 0 || changes.length > 1000) {
    throw invalidInput(
      "1 validation error detected: Value at 'changeBatch.changes' failed to satisfy constraint: " +
        'Member must have length between 1 and 1000',
    );
  }
  const sets = new Map(current.map((s) => [`${s.name} ${s.type}`, s]));
  const problems: string[] = [];
  const touched: StoredRecordSet[] = [];
  changes.forEach((change, index) => {
    const parsed = parseChange(change, index, zoneName);
    problems.push(...parsed.problems);
    const set = parsed.set;
    if (!set || parsed.problems.length > 0) return;
    const key = `${set.name} ${set.type}`;
    const existing = sets.get(key);
    const apexDefault = set.name === zoneName && (set.type === 'SOA' || set.type === 'NS');
    if (change.Action === 'CREATE') {
      if (existing) problems.push(`Tried to create resource record set ${label(set)} but it already exists`);
      else sets.set(key, set);
    } else if (change.Action === 'DELETE') {
      if (!existing) problems.push(`Tried to delete resource record set ${label(set)} but it was not found`);
      else if (apexDefault && set.type === 'SOA') problems.push('A HostedZone must contain exactly one SOA record.');
      else if (apexDefault) problems.push('A HostedZone must contain at least one NS record for the zone itself.');
      else if (!sameContent(existing, set)) {
        problems.push(
          `Tried to delete resource record set ${label(set)} but the values provided do not match the current values`,
        );
      } else sets.delete(key);
    } else {
      sets.set(key, set);
    }
    if (change.Action !== 'DELETE') touched.push(set);
  });

  // A CNAME excludes every other type at its name; judged on the result so DELETE A + CREATE CNAME passes.
  for (const set of touched) {
    if (set.name === zoneName) continue;
    const types = [...sets.values()].filter((s) => s.name === set.name).map((s) => s.type);
    if (types.includes('CNAME') && types.length > 1) {
      const message =
        `RRSet of type ${set.type} with DNS name ${set.name} is not permitted as it conflicts with other records ` +
        `with the same DNS name in zone ${zoneName}`;
      if (!problems.includes(message)) problems.push(message);
    }
  }
  if (problems.length > 0) {
    const error = fail('InvalidChangeBatch', `[${problems.join(', ')}]`);
    Object.assign(error, { messages: problems });
    throw error;
  }
  return sortRecordSets([...sets.values()]);
}

export function compareRecordSets(a: { name: string; type: string }, b: { name: string; type: string }): number {
  return compareNames(a.name, b.name) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}

export function sortRecordSets(sets: StoredRecordSet[]): StoredRecordSet[] {
  return [...sets].sort(compareRecordSets);
}

export function toResourceRecordSet(set: StoredRecordSet): ResourceRecordSet {
  if (set.alias) {
    return {
      Name: set.name,
      Type: set.type as ResourceRecordSet['Type'],
      AliasTarget: {
        HostedZoneId: set.alias.hostedZoneId,
        DNSName: set.alias.dnsName,
        EvaluateTargetHealth: set.alias.evaluateTargetHealth,
      },
    };
  }
  return {
    Name: set.name,
    Type: set.type as ResourceRecordSet['Type'],
    TTL: set.ttl,
    ResourceRecords: (set.values ?? []).map((Value) => ({ Value })),
  };
}

/** ListResourceRecordSets paging: the sets from (startName, startType) on, in Route 53's order. */
export function pageRecordSets(
  sets: StoredRecordSet[],
  startName: string | undefined,
  startType: string | undefined,
  maxItems: number,
): { page: StoredRecordSet[]; next?: StoredRecordSet } {
  const sorted = sortRecordSets(sets);
  const from =
    startName === undefined
      ? 0
      : sorted.findIndex((s) => {
          const byName = sortKey(s.name) < sortKey(startName) ? -1 : sortKey(s.name) > sortKey(startName) ? 1 : 0;
          return byName > 0 || (byName === 0 && (startType === undefined || s.type >= startType));
        });
  const start = from === -1 ? sorted.length : from;
  return { page: sorted.slice(start, start + maxItems), next: sorted[start + maxItems] };
}
