// EnsureEndpointService: find or create the provider side, or check the vendor's service exists.
// As the first step it also applies the deployment's allowlists, whatever started the workflow (the
// HTTP API, an EventBridge rule, Slack, or someone with StartExecution), before any AWS call.
import { type Allowlists, refuseOutsideAllowlists } from '../domain/allowlists.ts';
import { clientToken } from '../domain/ids.ts';
import { REQUEST_ID_TAG } from '../domain/request.ts';
import { vendorServiceName } from '../domain/vendors.ts';
import { PreconditionError } from '../errors.ts';
import { ensureAtlasService } from './atlas-service.ts';
import { withConsumerAction } from './consumer-action.ts';
import {
  type AtlasStepPorts,
  type Ec2StepPorts,
  type ServiceState,
  tokenAttempt,
  type WorkflowState,
} from './state.ts';
import { requestTags } from './tags.ts';

/** A service that needs no further wait (everything but Atlas's while it creates its own). */
function readyService(fields: Omit<ServiceState, 'ready' | 'polls' | 'waitSeconds' | 'deadlineAt'>): ServiceState {
  return { ...fields, ready: true, polls: 0, waitSeconds: 0, deadlineAt: 0 };
}

export async function ensureEndpointService(
  state: WorkflowState,
  ports: Ec2StepPorts & Partial<AtlasStepPorts> & { allowlists: Allowlists },
): Promise<ServiceState> {
  const { request } = state;
  refuseOutsideAllowlists(request, ports.allowlists);
  const spec = request.service;
  if ('atlas' in spec) {
    if (!ports.atlas) throw new PreconditionError('MissingAtlasPort', 'this step was built without the Atlas adapter');
    return withConsumerAction(state, await ensureAtlasService(state, { ...ports, atlas: ports.atlas }));
  }
  if ('serviceName' in spec || 'vendor' in spec) {
    const name = 'vendor' in spec ? vendorServiceName(spec.vendor, request.region) : spec.serviceName;
    if (!name)
      throw new PreconditionError('UnknownVendorRegion', `the vendor has no endpoint service in ${request.region}`);
    const service = await ports.ec2.describeServiceByName(name);
    return withConsumerAction(
      state,
      readyService({
        kind: 'vendor' in spec ? 'vendor' : 'named',
        serviceId: service.serviceId,
        serviceName: service.serviceName,
        created: false,
        owned: false,
        acceptanceRequired: service.acceptanceRequired,
      }),
    );
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
  return withConsumerAction(
    state,
    readyService({
      kind: 'own',
      serviceId: service.serviceId,
      serviceName: service.serviceName,
      created: true,
      owned: true,
      acceptanceRequired: service.acceptanceRequired,
    }),
  );
}
