// What a name resolves to from inside a VPC, the way the VPC's Route 53 Resolver answers: the most
// specific private hosted zone associated with the VPC that the name falls in answers, and when that
// zone has no record of the name and type the answer is NXDOMAIN (the query is not forwarded to
// public DNS) — "Public and private hosted zones that have overlapping namespaces",
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html.
// Names no private zone holds get the public answers. Wildcards synthesize as RFC 4592 says (from the
// closest existing ancestor), CNAMEs are followed (RFC 1034 §3.6.2), and alias records answer with
// their target's records under the name asked for, as Route 53 aliases do. Pure: no I/O.

export type RecordType = 'A' | 'SRV' | 'TXT' | 'CNAME';

export interface RecordView {
  name: string;
  type: string;
  values: string[];
  /** an alias record: `values` holds the target's DNS name */
  alias?: boolean;
}

export interface ZoneView {
  hostedZoneId: string;
  name: string;
  records: RecordView[];
}

export interface Answer {
  name: string;
  type: string;
  values: string[];
  /** where the answer came from: `private zone NAME (ID)`, `public DNS`; with `alias to …` or `wildcard *.…` */
  source: string;
}

export interface Resolution {
  name: string;
  type: RecordType;
  /** as dig shows it: NODATA is NOERROR without an answer of that type; SERVFAIL a CNAME loop */
  status: 'NOERROR' | 'NXDOMAIN' | 'NODATA' | 'SERVFAIL';
  answers: Answer[];
  /** why there is no answer, or where the chain stopped */
  note?: string;
}

/** How many CNAMEs and aliases a chain may follow before it is called a loop. */
const MAX_CHAIN = 8;

/** Lower case, no trailing dot, and Route 53's octal escapes decoded (it lists a wildcard as `\052`). */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
    .replace(/\.+$/, '');
}

const within = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);
const parent = (name: string) => (name.includes('.') ? name.slice(name.indexOf('.') + 1) : '');

/** The most specific zone `name` falls in (longest name wins), if any. */
export function zoneFor(name: string, zones: readonly ZoneView[]): ZoneView | undefined {
  const n = normalizeName(name);
  let best: ZoneView | undefined;
  for (const zone of zones) {
    const z = normalizeName(zone.name);
    if (within(n, z) && (!best || z.length > normalizeName(best.name).length)) best = zone;
  }
  return best;
}

/**
 * The record sets at `name` in `records`: the name's own, or (when the name does not exist) the
 * wildcard's of its closest existing ancestor, renamed to `name`. `exists` tells NODATA from NXDOMAIN.
 */
export function recordsAt(
  name: string,
  records: readonly RecordView[],
  apex?: string,
): { exists: boolean; records: RecordView[]; wildcard?: string } {
  const n = normalizeName(name);
  const names = records.map((r) => normalizeName(r.name));
  const own = records.filter((_, i) => names[i] === n);
  if (own.length > 0) return { exists: true, records: own };
  // An empty non-terminal (a name with descendants but no records) exists: no wildcard applies below it.
  if (names.some((r) => r.endsWith(`.${n}`))) return { exists: true, records: [] };
  const top = apex ? normalizeName(apex) : undefined;
  for (let ancestor = parent(n); ancestor; ancestor = parent(ancestor)) {
    if (top && !within(ancestor, top)) break;
    const wildcard = `*.${ancestor}`;
    const synthesized = records.filter((_, i) => names[i] === wildcard);
    if (synthesized.length > 0) return { exists: true, records: synthesized.map((r) => ({ ...r, name: n })), wildcard };
    // The closest encloser exists without a wildcard: the name does not exist.
    if (names.some((r) => within(r, ancestor))) break;
  }
  return { exists: false, records: [] };
}

/**
 * Resolves `name` for `type` from a VPC whose private zones are `privateZones` (only those associated
 * with the VPC), falling back to `publicRecords` for names none of them holds.
 */
export function resolveName(
  name: string,
  type: RecordType,
  privateZones: readonly ZoneView[],
  publicRecords: readonly RecordView[],
): Resolution {
  const answers: Answer[] = [];
  const seen = new Set<string>();
  let current = normalizeName(name);
  for (let step = 0; step <= MAX_CHAIN; step++) {
    if (seen.has(current)) return { name, type, status: 'SERVFAIL', answers, note: `CNAME loop at ${current}` };
    seen.add(current);
    const zone = zoneFor(current, privateZones);
    const source = zone ? `private zone ${normalizeName(zone.name)} (${zone.hostedZoneId})` : 'public DNS';
    const found = recordsAt(current, zone ? zone.records : publicRecords, zone?.name);
    const via = (extra?: string) =>
      [source, found.wildcard && `wildcard ${found.wildcard}`, extra].filter(Boolean).join(', ');
    const exact = found.records.filter((r) => r.type.toUpperCase() === type && !r.alias);
    if (exact.length > 0) {
      for (const r of exact) answers.push({ name: current, type, values: [...r.values], source: via() });
      return { name, type, status: 'NOERROR', answers };
    }
    const alias = found.records.find((r) => r.alias && r.type.toUpperCase() === type);
    const cname = type === 'CNAME' ? undefined : found.records.find((r) => r.type.toUpperCase() === 'CNAME');
    const target = alias?.values[0] ?? cname?.values[0];
    if (target && (alias || cname)) {
      if (cname) answers.push({ name: current, type: 'CNAME', values: [normalizeName(target)], source: via() });
      if (alias) {
        // An alias answers with its target's records, under the name asked for.
        const inner = resolveName(target, type, privateZones, publicRecords);
        const values = inner.answers.filter((a) => a.type === type).flatMap((a) => a.values);
        if (values.length === 0)
          return {
            name,
            type,
            status: inner.status,
            answers,
            note: `alias ${current} → ${normalizeName(target)}: ${inner.note ?? inner.status}`,
          };
        answers.push({ name: current, type, values, source: via(`alias to ${normalizeName(target)}`) });
        return { name, type, status: 'NOERROR', answers };
      }
      current = normalizeName(target);
      continue;
    }
    // Route 53: a matching private zone without a record of that name and type answers NXDOMAIN.
    if (zone)
      return {
        name,
        type,
        status: 'NXDOMAIN',
        answers,
        note: `${source} has no ${type} record for ${current}${answers.length > 0 ? ' (the chain ends there)' : ''}`,
      };
    return {
      name,
      type,
      status: found.exists ? 'NODATA' : 'NXDOMAIN',
      answers,
      note: found.exists ? `${current} has no ${type} record in public DNS` : `${current} does not exist in public DNS`,
    };
  }
  return { name, type, status: 'SERVFAIL', answers, note: `more than ${MAX_CHAIN} CNAMEs: stopped` };
}

/** Whether the resolution ends in records of the type asked for. */
export function answered(resolution: Resolution): boolean {
  return resolution.answers.some((a) => a.type === resolution.type);
}
