// Finalize: tag the endpoint ready, read the records back from Route 53, emit the connection strings.
import { connectionStrings } from '../domain/connection-strings.ts';
import { planDns } from '../domain/dns-plan.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { PreconditionError } from '../errors.ts';
import type { RecordSet } from '../ports.ts';
import { endpointFacts } from './endpoint-facts.ts';
import type { StepPorts, WorkflowState } from './state.ts';
import { STATUS_TAG } from './tags.ts';

export async function finalize(state: WorkflowState, ports: StepPorts): Promise<ProvisionResult> {
  const { request, service, endpoint, dns } = state;
  if (!service || !endpoint || !dns) throw new PreconditionError('MissingState', 'the workflow has not reached DNS');
  const { info, facts } = await endpointFacts(endpoint.endpointId, ports);
  await ports.ec2.tagResources([endpoint.endpointId], { [STATUS_TAG]: 'ready' });

  if (!request.target) throw new PreconditionError('MissingTarget', 'the request has no target to connect to');
  const planned = planDns(request, facts).flatMap((z) => z.records);
  const records: RecordSet[] = [];
  for (const zone of dns.zones)
    for (const record of await ports.route53.listRecords(zone.hostedZoneId))
      if (planned.some((p) => p.name === record.name && p.type === record.type)) records.push(record);

  return {
    requestId: request.requestId,
    status: 'READY',
    service: { serviceName: service.serviceName, serviceId: service.serviceId, created: service.created },
    endpoint: {
      endpointId: info.endpointId,
      state: info.state,
      dnsName: facts.dnsName,
      privateIpAddresses: facts.privateIps,
    },
    dns: { zones: dns.zones.map(({ hostedZoneId, name }) => ({ hostedZoneId, name })), records },
    connectionStrings: connectionStrings(request.target),
  };
}
