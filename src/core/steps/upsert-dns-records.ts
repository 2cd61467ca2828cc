// UpsertDnsRecords: create (or adopt) each private zone, then one change batch per zone with only
// this request's records. A record someone else wrote at one of our names is never overwritten.
// A new zone costs CreateHostedZone, ChangeTagsForResource and ChangeResourceRecordSets, no lookup.
import { planDns } from '../domain/dns-plan.ts';
import { callerReference } from '../domain/ids.ts';
import { DNS_DEADLINE_SECONDS, nextDnsPollSeconds } from '../domain/polling.ts';
import { sameRecord } from '../domain/undo-plan.ts';
import { PreconditionError } from '../errors.ts';
import { endpointFacts } from './endpoint-facts.ts';
import { type DnsState, type StepPorts, tokenAttempt, type WorkflowState } from './state.ts';
import { requestTags } from './tags.ts';
import { ensureRequestZone } from './zones.ts';

export async function upsertDnsRecords(state: WorkflowState, ports: StepPorts): Promise<DnsState> {
  const { request, endpoint } = state;
  if (!endpoint) throw new PreconditionError('MissingState', 'the endpoint has not been created');
  if (!('vpcId' in request.consumer))
    throw new PreconditionError('ExternalConsumer', 'an external consumer manages DNS in its own VPC');
  const { vpcId } = request.consumer;
  const { facts } = await endpointFacts(endpoint.endpointId, ports);
  const zones: DnsState['zones'] = [];
  const changeIds: string[] = [];

  for (const plan of planDns(request, facts)) {
    const found = await ensureRequestZone(ports.route53, {
      request,
      vpcId,
      name: plan.zoneName,
      callerReference: callerReference(request.requestId, plan.zoneName, tokenAttempt(state)),
      tags: requestTags(request),
    });
    // Someone else's zone may hold records at our names: read it once, and refuse rather than overwrite.
    if (!found.createdByRequest) {
      const existing = await ports.route53.listRecords(found.zone.hostedZoneId);
      for (const record of plan.records) {
        const clash = existing.find((e) => e.name === record.name && e.type === record.type);
        if (clash && !sameRecord(clash, record))
          throw new PreconditionError(
            'RecordConflict',
            `${record.type} ${record.name} in zone ${plan.zoneName} (${found.zone.hostedZoneId}) already holds other data; refusing to overwrite it${wildcardHint(record.name)}`,
          );
      }
    }
    const hostedZoneId = found.zone.hostedZoneId;
    zones.push({ hostedZoneId, name: plan.zoneName, created: found.createdByRequest });
    const changeId = await ports.route53.changeRecords(
      hostedZoneId,
      plan.records.map((record) => ({ action: 'UPSERT' as const, record })),
      `privatelink-automation ${request.requestId}`,
    );
    changeIds.push(changeId);
  }

  return {
    zones,
    changeIds,
    insync: false,
    deadlineAt: ports.clock.now() + DNS_DEADLINE_SECONDS * 1000,
    polls: 0,
    waitSeconds: nextDnsPollSeconds(),
  };
}

/** Pinecone's wildcard serves every index of an environment: a second endpoint for it has nothing to add. */
function wildcardHint(name: string): string {
  return name.startsWith('*.')
    ? ` (every name under ${name.slice(2)} already resolves through what it points at, in this VPC)`
    : '';
}
