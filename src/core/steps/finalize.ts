// Finalize: tag the endpoint ready and emit the result. The records are those UpsertDnsRecords (or
// CheckEndpoint) wrote and CheckEndpoint saw INSYNC, reported from the plan they were written from, and
// the endpoint's DNS name and addresses are those the records were made of: no read-back. (A state kept
// by an older run, without them, is read back as before.)
import { connectionStrings } from '../domain/connection-strings.ts';
import { planDns } from '../domain/dns-plan.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { PreconditionError } from '../errors.ts';
import type { EndpointProgress } from './create-interface-endpoint.ts';
import { endpointFacts } from './endpoint-facts.ts';
import type { StepPorts, WorkflowState } from './state.ts';
import { STATUS_TAG } from './tags.ts';
import type { DnsProgress } from './upsert-dns-records.ts';

export async function finalize(state: WorkflowState, ports: StepPorts): Promise<ProvisionResult> {
  const { request, service } = state;
  const endpoint = state.endpoint as EndpointProgress | undefined;
  const dns = state.dns as DnsProgress | undefined;
  if (!service || !endpoint || !dns) throw new PreconditionError('MissingState', 'the workflow has not reached DNS');
  if (!request.target) throw new PreconditionError('MissingTarget', 'the request has no target to connect to');
  await ports.ec2.tagResources([endpoint.endpointId], { [STATUS_TAG]: 'ready' });

  let facts = dns.facts;
  let records = dns.records;
  let endpointState = endpoint.state;
  if (!facts || !records) {
    const read = await endpointFacts(endpoint.endpointId, ports);
    facts = read.facts;
    endpointState = read.info.state;
    const planned = planDns(request, facts).flatMap((z) => z.records);
    records = [];
    for (const zone of dns.zones)
      for (const record of await ports.route53.listRecords(zone.hostedZoneId))
        if (planned.some((p) => p.name === record.name && p.type === record.type)) records.push(record);
  }

  // Alias and CNAME records were written from the DNS name alone: the addresses are read once, now.
  const interfaces = endpoint.networkInterfaceIds ?? [];
  const privateIps =
    facts.privateIps.length > 0 || interfaces.length === 0 ? facts.privateIps : await ports.ec2.privateIps(interfaces);

  return {
    requestId: request.requestId,
    status: 'READY',
    service: { serviceName: service.serviceName, serviceId: service.serviceId, created: service.created },
    endpoint: {
      endpointId: endpoint.endpointId,
      state: endpointState,
      dnsName: facts.dnsName,
      privateIpAddresses: privateIps,
    },
    dns: { zones: dns.zones.map(({ hostedZoneId, name }) => ({ hostedZoneId, name })), records: [...records] },
    connectionStrings: connectionStrings(request.target),
  };
}
