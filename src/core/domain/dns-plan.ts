// Which private zones to use and which records to write in them: a pure decision, no AWS import.
import { isIPv4 } from 'node:net';
import { PreconditionError } from '../errors.ts';
import type { RecordSet } from '../ports.ts';
import { seedlistOptions, sortedPorts } from './connection-strings.ts';
import { ownedHostnames, type ProvisionRequest } from './request.ts';
import { isPineconePrivateHost, pineconePrivateZone } from './vendors.ts';

/** The endpoint's regional DNS entry and its network interfaces' addresses. */
export interface EndpointDnsFacts {
  privateIps: string[];
  dnsName: string;
  hostedZoneId: string;
}

export interface ZonePlan {
  zoneName: string;
  records: RecordSet[];
}

/** Short, so a replaced endpoint's new addresses reach clients within a minute. */
export const RECORD_TTL = 60;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

type RecordKind = NonNullable<ProvisionRequest['dns']['records']>;

/**
 * Pinecone's private zone when the target is a Pinecone private index host
 * (`<index>-<id>.svc.private.<env>.pinecone.io`). Pinecone documents one private zone per region,
 * `private.<env>.pinecone.io`, holding a wildcard routed to the VPC endpoint, so every index of the
 * project in that region resolves through it.
 */
function pineconeZone(request: ProvisionRequest): string | undefined {
  const { target } = request;
  return target?.kind === 'https' && isPineconePrivateHost(target.host) ? pineconePrivateZone(target.host) : undefined;
}

/** The zones the plan will use, known before the endpoint exists (for lookups and teardown). */
export function zoneNamesFor(request: ProvisionRequest): string[] {
  if (!request.target) return [];
  if (request.dns.zoneName) return [normalise(request.dns.zoneName)];
  const pinecone = pineconeZone(request);
  if (pinecone) return [pinecone];
  return [...new Set(ownedHostnames(request.target).map(normalise))].sort(compare);
}

/**
 * The name the host record is written at: the target's host, or for a Pinecone private host the
 * wildcard of its private zone, unless dns.zoneName names a zone too deep to hold that wildcard.
 */
function hostRecordName(request: ProvisionRequest, host: string): string {
  const pinecone = pineconeZone(request);
  if (!pinecone) return host;
  const zone = request.dns.zoneName ? normalise(request.dns.zoneName) : pinecone;
  return pinecone === zone || pinecone.endsWith(`.${zone}`) ? `*.${pinecone}` : host;
}

/** The request's choice, else ALIAS for Pinecone (the alias to the endpoint it documents) and A otherwise. */
function recordKind(dns: { records?: RecordKind }, pinecone: boolean): RecordKind {
  return dns.records ?? (pinecone ? 'ALIAS' : 'A');
}

/**
 * Whether the plan needs the interfaces' addresses (A records), or only the endpoint's DNS name
 * (ALIAS/CNAME, known when the endpoint is created). False when there is nothing to write.
 */
export function needsAddresses(request: ProvisionRequest): boolean {
  if (!request.target) return false;
  return recordKind(request.dns, pineconeZone(request) !== undefined) === 'A';
}

export function planDns(request: ProvisionRequest, endpoint: EndpointDnsFacts): ZonePlan[] {
  const { target } = request;
  // Atlas publishes the DNS of its own names: no target, nothing to write.
  if (!target) return [];
  const kind = recordKind(request.dns, pineconeZone(request) !== undefined);
  const records: RecordSet[] = [hostRecord(kind, hostRecordName(request, normalise(target.host)), endpoint)];
  if (target.kind === 'mongodb' && target.srvHost) {
    const srvHost = normalise(target.srvHost);
    const host = normalise(target.host);
    records.push({
      name: `_mongodb._tcp.${srvHost}`,
      type: 'SRV',
      ttl: RECORD_TTL,
      values: sortedPorts(target.ports).map((port) => `0 0 ${port} ${host}`),
    });
    const options = seedlistOptions(target);
    if (options.length > 0)
      records.push({
        name: srvHost,
        type: 'TXT',
        ttl: RECORD_TTL,
        values: [txtValue(options.map(([k, v]) => `${k}=${v}`).join('&'))],
      });
  }

  const plans = zoneNamesFor(request).map((zoneName): ZonePlan => ({ zoneName, records: [] }));
  for (const record of records) {
    // The most specific zone holding the name: with nested zones (host under srvHost) Route 53
    // answers from the deepest one, so that is where the record must live.
    const zone = plans
      .filter((p) => record.name === p.zoneName || record.name.endsWith(`.${p.zoneName}`))
      .sort((a, b) => b.zoneName.length - a.zoneName.length)[0];
    if (!zone) throw new PreconditionError('RecordOutsideZones', `${record.name} is in none of the planned zones`);
    zone.records.push(record);
  }
  for (const plan of plans) plan.records.sort((a, b) => compare(a.name, b.name) || compare(a.type, b.type));
  return plans.filter((p) => p.records.length > 0);
}

function hostRecord(kind: RecordKind, name: string, endpoint: EndpointDnsFacts): RecordSet {
  switch (kind) {
    case 'A':
      return { name, type: 'A', ttl: RECORD_TTL, values: sortedIpv4(endpoint.privateIps) };
    case 'ALIAS':
      return {
        name,
        type: 'A',
        values: [],
        aliasTarget: {
          hostedZoneId: endpoint.hostedZoneId,
          dnsName: endpointDnsName(endpoint),
          // An interface endpoint has no Route 53 health check to evaluate.
          evaluateTargetHealth: false,
        },
      };
    case 'CNAME':
      return { name, type: 'CNAME', ttl: RECORD_TTL, values: [endpointDnsName(endpoint)] };
  }
}

function endpointDnsName(endpoint: EndpointDnsFacts): string {
  const name = normalise(endpoint.dnsName);
  if (!name) throw new PreconditionError('MissingEndpointDnsName', 'the endpoint has no regional DNS name');
  return name;
}

/** Numeric order (10.0.2.9 before 10.0.10.1), duplicates removed; an A record needs at least one. */
function sortedIpv4(ips: string[]): string[] {
  const bad = ips.find((ip) => !isIPv4(ip));
  if (bad !== undefined) throw new PreconditionError('InvalidEndpointAddress', `${bad} is not an IPv4 address`);
  if (ips.length === 0) throw new PreconditionError('NoEndpointAddresses', 'the endpoint has no private IP addresses');
  const value = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return [...new Set(ips)].sort((a, b) => value(a) - value(b));
}

/** Route 53 takes TXT data as quoted character strings, with " and \ escaped. */
function txtValue(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
