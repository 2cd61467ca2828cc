// UpsertDnsRecords: right after the endpoint is created, create (or adopt) each private zone, then one
// change batch per zone with only this request's records, so Route 53 brings them INSYNC while the
// endpoint becomes available. ALIAS/CNAME need only the endpoint's DNS name (known at creation); A
// records need the interfaces' addresses, which exist while the endpoint is `pending` but may not yet
// for one waiting on its vendor: then nothing is written here and CheckEndpoint writes them once they
// exist. A record someone else wrote at one of our names is never overwritten. A new zone costs
// CreateHostedZone, ChangeTagsForResource and ChangeResourceRecordSets, no lookup.
import { type EndpointDnsFacts, needsAddresses, planDns } from '../domain/dns-plan.ts';
import { callerReference, zoneCreator } from '../domain/ids.ts';
import { DNS_DEADLINE_SECONDS, DNS_FIRST_CHECK_SECONDS, THROTTLE_BUDGET_SECONDS } from '../domain/polling.ts';
import { sameRecord } from '../domain/undo-plan.ts';
import { PreconditionError } from '../errors.ts';
import type { RecordSet } from '../ports.ts';
import type { EndpointProgress } from './create-interface-endpoint.ts';
import type { DnsState, StepPorts, WorkflowState } from './state.ts';
import { tokenAttempt } from './state.ts';
import { requestTags } from './tags.ts';
import { retryingPort, retryThrottled } from './throttled.ts';
import { ensureRequestZone } from './zones.ts';

/** $.dns as the DNS steps keep it. */
export interface DnsProgress extends DnsState {
  /** false while the records wait for what they need (the interfaces' addresses) */
  written?: boolean;
  /** every record set written, in plan order: what Finalize reports, without reading them back */
  records?: RecordSet[];
  /** what the records were written from: the result's DNS name and addresses */
  facts?: EndpointDnsFacts;
  /** epoch ms: no GetChange before this (Route 53 needs a while; the first answer is then usually INSYNC) */
  checkAfter?: number;
  /** GetChange answers throttled in a row: the next one waits longer */
  throttled?: number;
}

/** The DNS facts known of the endpoint, or undefined while what the records need is missing. */
export function dnsFactsFrom(
  request: WorkflowState['request'],
  endpoint: Pick<EndpointProgress, 'dnsName' | 'dnsHostedZoneId'>,
  privateIps: string[],
): EndpointDnsFacts | undefined {
  if (!endpoint.dnsName || !endpoint.dnsHostedZoneId) return undefined;
  if (needsAddresses(request) && privateIps.length === 0) return undefined;
  return { dnsName: endpoint.dnsName, hostedZoneId: endpoint.dnsHostedZoneId, privateIps };
}

/** Nothing written yet, nothing to wait for from Route 53 either. */
function notWritten(now: number): DnsProgress {
  return {
    zones: [],
    changeIds: [],
    insync: false,
    written: false,
    records: [],
    deadlineAt: now + DNS_DEADLINE_SECONDS * 1000,
    polls: 0,
    waitSeconds: 0,
  };
}

/** Writes the request's zones and records from `facts`: one change batch per zone. */
export async function writeDns(
  state: WorkflowState,
  facts: EndpointDnsFacts,
  ports: Pick<StepPorts, 'route53' | 'clock'>,
  budgetSeconds = THROTTLE_BUDGET_SECONDS,
): Promise<DnsProgress> {
  const { request } = state;
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer manages DNS in its own VPC');
  const { vpcId } = request.consumer;
  const route53 = retryingPort(ports.route53, ports.clock, budgetSeconds);
  const zones: DnsState['zones'] = [];
  const changeIds: string[] = [];
  const records: RecordSet[] = [];

  for (const plan of planDns(request, facts)) {
    const found = await ensureRequestZone(route53, {
      request,
      vpcId,
      name: plan.zoneName,
      callerReference: callerReference(request.requestId, plan.zoneName, tokenAttempt(state)),
      tags: requestTags(request),
    });
    // Someone else's zone may hold records at our names: read it once, and refuse rather than overwrite.
    if (!found.createdByRequest) {
      const existing = await route53.listRecords(found.zone.hostedZoneId);
      for (const record of plan.records) {
        const clash = existing.find((e) => e.name === record.name && e.type === record.type);
        if (clash && !sameRecord(clash, record))
          throw new PreconditionError(
            'RecordConflict',
            `${record.type} ${record.name} in zone ${plan.zoneName} (${found.zone.hostedZoneId}${heldBy(found.zone, plan.zoneName)}) already holds other data; refusing to overwrite it${wildcardHint(record.name)}`,
          );
      }
    }
    const hostedZoneId = found.zone.hostedZoneId;
    zones.push({ hostedZoneId, name: plan.zoneName, created: found.createdByRequest });
    const changeId = await route53.changeRecords(
      hostedZoneId,
      plan.records.map((record) => ({ action: 'UPSERT' as const, record })),
      `privatelink-automation ${request.requestId}`,
    );
    changeIds.push(changeId);
    records.push(...plan.records);
  }

  const now = ports.clock.now();
  return {
    zones,
    changeIds,
    insync: changeIds.length === 0,
    written: true,
    records,
    facts,
    checkAfter: now + DNS_FIRST_CHECK_SECONDS * 1000,
    deadlineAt: now + DNS_DEADLINE_SECONDS * 1000,
    polls: 0,
    waitSeconds: 0,
  };
}

export async function upsertDnsRecords(state: WorkflowState, ports: StepPorts): Promise<DnsProgress> {
  const { request } = state;
  const endpoint = state.endpoint as EndpointProgress | undefined;
  if (!endpoint) throw new PreconditionError('MissingState', 'the endpoint has not been created');
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer manages DNS in its own VPC');
  const interfaces = endpoint.networkInterfaceIds ?? [];
  // The addresses are the result's even for alias records: read them once, here, when they exist.
  const privateIps =
    interfaces.length > 0 ? await retryThrottled(ports.clock, () => ports.ec2.privateIps(interfaces)) : [];
  const facts = dnsFactsFrom(request, endpoint, privateIps);
  if (!facts) return notWritten(ports.clock.now());
  return writeDns(state, facts, ports);
}

/** The request that made the zone, when this tool made it (its CallerReference says so). */
function heldBy(zone: { callerReference?: string }, zoneName: string): string {
  const creator = zoneCreator(zone.callerReference, zoneName);
  return creator ? `, made by request ${creator}` : '';
}

/** Pinecone's wildcard serves every index of an environment: a second endpoint for it has nothing to add. */
function wildcardHint(name: string): string {
  return name.startsWith('*.')
    ? ` (every name under ${name.slice(2)} already resolves through what it points at, in this VPC)`
    : '';
}
