// FinalizeAtlas: the READY result of a service.atlas request, for our endpoint or the other party's:
// Atlas's own connection strings and its view of the service and endpoint; no private zones, since
// Atlas publishes the DNS of these names itself (the pl-… hosts are CNAMEs to the endpoint's DNS name).
import type { ProvisionResult } from '../domain/result.ts';
import { PreconditionError } from '../errors.ts';
import { endpointFacts } from './endpoint-facts.ts';
import type { AtlasStepPorts, WorkflowState } from './state.ts';
import { STATUS_TAG } from './tags.ts';

export async function finalizeAtlas(state: WorkflowState, ports: AtlasStepPorts): Promise<ProvisionResult> {
  const { request, service, endpoint, atlas } = state;
  const vendor = service?.vendor;
  if (!service || !vendor || !endpoint || !atlas?.strings)
    throw new PreconditionError('MissingState', 'Atlas has not given the connection strings yet');
  const external = 'external' in request.consumer;
  // The other party's endpoint lives in its account: only what it reported is known of it.
  const facts = external ? undefined : (await endpointFacts(endpoint.endpointId, ports)).facts;
  if (!external) await ports.ec2.tagResources([endpoint.endpointId], { [STATUS_TAG]: 'ready' });
  const current = await ports.atlas.getEndpointService(vendor.projectId, vendor.endpointServiceId);
  return {
    requestId: request.requestId,
    status: 'READY',
    vendor: {
      name: 'atlas',
      endpointServiceId: vendor.endpointServiceId,
      status: current?.status ?? vendor.status,
      ...(endpoint.vendorStatus && { connectionStatus: endpoint.vendorStatus }),
    },
    service: { serviceName: service.serviceName, serviceId: service.serviceId, created: vendor.created },
    endpoint: {
      endpointId: endpoint.endpointId,
      state: endpoint.state,
      dnsName: facts?.dnsName ?? state.consumerReport?.dnsName ?? '',
      privateIpAddresses: facts?.privateIps ?? [],
    },
    connectionStrings: atlas.strings,
  };
}
