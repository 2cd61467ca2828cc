// EnsureEndpointService: find or create the provider side, or check the vendor's service exists.
// As the first step it also applies the deployment's allowlists, whatever started the workflow (the
// HTTP API, an EventBridge rule, Slack, or someone with StartExecution), before any AWS call.
import { enforceAllowlists } from '../app/allowlists.ts';
import { clientToken } from '../domain/ids.ts';
import { REQUEST_ID_TAG } from '../domain/request.ts';
import { type Ec2StepPorts, type ServiceState, tokenAttempt, type WorkflowState } from './state.ts';
import { requestTags } from './tags.ts';

export async function ensureEndpointService(state: WorkflowState, ports: Ec2StepPorts): Promise<ServiceState> {
  const { request } = state;
  enforceAllowlists(request);
  const spec = request.service;
  if ('serviceName' in spec) {
    const service = await ports.ec2.describeServiceByName(spec.serviceName);
    return {
      serviceId: service.serviceId,
      serviceName: service.serviceName,
      created: false,
      owned: false,
      acceptanceRequired: service.acceptanceRequired,
    };
  }
  const [existing] = await ports.ec2.findEndpointServicesByTag(REQUEST_ID_TAG, request.requestId);
  const service =
    existing ??
    (await ports.ec2.createEndpointService({
      clientToken: clientToken(request.requestId, 'service', tokenAttempt(state)),
      networkLoadBalancerArns: spec.create.networkLoadBalancerArns,
      acceptanceRequired: spec.create.acceptanceRequired,
      tags: requestTags(request),
    }));
  const principals = [...spec.create.allowedPrincipals];
  if ('external' in request.consumer) principals.push(`arn:aws:iam::${request.consumer.external.accountId}:root`);
  await ports.ec2.allowPrincipals(service.serviceId, [...new Set(principals)]);
  return {
    serviceId: service.serviceId,
    serviceName: service.serviceName,
    created: true,
    owned: true,
    acceptanceRequired: service.acceptanceRequired,
  };
}
