// Atlas's endpoint service for the project and region (service.atlas): found, or created, or adopted
// when Atlas says one exists already (409 PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION, VENDORS.md
// §1.1), then waited for until it is WAITING_FOR_USER or AVAILABLE with its endpointServiceName, as the
// Terraform provider does (§2.1). Atlas owns that service; we only ever create endpoints to it.
import { ATLAS_SERVICE_DEADLINE_SECONDS, nextAtlasPollSeconds } from '../domain/polling.ts';
import { atlasRegionName } from '../domain/regions.ts';
import { AtlasApiError, PreconditionError, VendorStateError } from '../errors.ts';
import type { AtlasEndpointService } from '../ports.ts';
import { withConsumerAction } from './consumer-action.ts';
import type { AtlasStepPorts, ServiceState, WorkflowState } from './state.ts';
import { pause } from './throttled.ts';

/**
 * CheckEndpointService asks Atlas every ATLAS_SERVICE_POLL_SECONDS inside one invocation for up to
 * ATLAS_SERVICE_WINDOW_SECONDS (its Lambda times out at 30 s), then the workflow waits
 * ATLAS_SERVICE_GAP_SECONDS before the next invocation: the service is seen ready seconds after it is,
 * not up to 30 s later. Five seconds is the Terraform provider's shortest interval (VENDORS.md §2.1).
 */
export const ATLAS_SERVICE_POLL_SECONDS = 5;
export const ATLAS_SERVICE_WINDOW_SECONDS = 20;
export const ATLAS_SERVICE_GAP_SECONDS = 10;

const ALREADY_EXISTS = 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION';

function atlasSpec(state: WorkflowState): { projectId: string; clusterName: string } {
  const spec = state.request.service;
  if (!('atlas' in spec)) throw new PreconditionError('NotAtlas', 'the request names no Atlas cluster');
  return spec.atlas;
}

function inRegion(services: AtlasEndpointService[], region: string): AtlasEndpointService | undefined {
  const wanted = atlasRegionName(region);
  return services.find((s) => s.regionName === wanted && s.status !== 'DELETING');
}

/** The service state for what Atlas reports; ready once it has a name to connect to. */
function fromAtlas(
  state: WorkflowState,
  service: AtlasEndpointService,
  created: boolean,
  timing: { polls: number; deadlineAt: number },
): ServiceState {
  const { projectId, clusterName } = atlasSpec(state);
  if (service.status === 'FAILED')
    throw new VendorStateError(
      'AtlasEndpointServiceFailed',
      `Atlas's endpoint service ${service.id} failed${service.errorMessage ? `: ${service.errorMessage}` : ''}`,
    );
  const ready =
    (service.status === 'WAITING_FOR_USER' || service.status === 'AVAILABLE') && !!service.endpointServiceName;
  return {
    kind: 'atlas',
    ready,
    polls: timing.polls,
    waitSeconds: nextAtlasPollSeconds(timing.polls),
    deadlineAt: timing.deadlineAt,
    serviceId: '',
    serviceName: service.endpointServiceName ?? '',
    created: false,
    owned: false,
    acceptanceRequired: true,
    vendor: { name: 'atlas', projectId, clusterName, endpointServiceId: service.id, status: service.status, created },
  };
}

export async function ensureAtlasService(state: WorkflowState, ports: AtlasStepPorts): Promise<ServiceState> {
  const { projectId } = atlasSpec(state);
  const region = state.request.region;
  const deadlineAt = ports.clock.now() + ATLAS_SERVICE_DEADLINE_SECONDS * 1000;
  const existing = inRegion(await ports.atlas.listEndpointServices(projectId), region);
  if (existing) return withAwsId(fromAtlas(state, existing, false, { polls: 0, deadlineAt }), ports);
  try {
    const created = await ports.atlas.createEndpointService(projectId, region);
    return withAwsId(fromAtlas(state, created, true, { polls: 0, deadlineAt }), ports);
  } catch (error) {
    // Another request (or a person) created it between our list and our create: adopt it.
    if (!(error instanceof AtlasApiError && error.code === ALREADY_EXISTS)) throw error;
    const adopted = inRegion(await ports.atlas.listEndpointServices(projectId), region);
    if (!adopted) throw error;
    return withAwsId(fromAtlas(state, adopted, false, { polls: 0, deadlineAt }), ports);
  }
}

/** CheckEndpointService: GETs of Atlas's service while it is still INITIATING, inside one invocation. */
export async function checkAtlasService(state: WorkflowState, ports: AtlasStepPorts): Promise<ServiceState> {
  const previous = state.service;
  if (!previous?.vendor) throw new PreconditionError('MissingState', 'no Atlas endpoint service to check');
  const { projectId, endpointServiceId, created } = previous.vendor;
  const windowEnd = ports.clock.now() + ATLAS_SERVICE_WINDOW_SECONDS * 1000;
  for (let polls = previous.polls + 1; ; polls++) {
    const service = await ports.atlas.getEndpointService(projectId, endpointServiceId);
    if (!service)
      throw new VendorStateError('AtlasEndpointServiceGone', `Atlas's endpoint service ${endpointServiceId} is gone`);
    const next = fromAtlas(state, service, created, { polls, deadlineAt: previous.deadlineAt });
    if (!next.ready && ports.clock.now() > previous.deadlineAt)
      throw new VendorStateError(
        'AtlasEndpointServiceDeadlineExceeded',
        `Atlas's endpoint service ${endpointServiceId} is still ${service.status} after ${polls} checks`,
      );
    if (next.ready) return withConsumerAction(state, await withAwsId(next, ports));
    if (ports.clock.now() + ATLAS_SERVICE_POLL_SECONDS * 1000 > windowEnd)
      return withConsumerAction(state, { ...next, waitSeconds: ATLAS_SERVICE_GAP_SECONDS });
    await pause(ports.clock, ATLAS_SERVICE_POLL_SECONDS);
  }
}

/** Once Atlas names its service, EC2 tells us its id (the result's service.serviceId). */
async function withAwsId(service: ServiceState, ports: AtlasStepPorts): Promise<ServiceState> {
  if (!service.ready) return service;
  const described = await ports.ec2.describeServiceByName(service.serviceName);
  return { ...service, serviceId: described.serviceId, acceptanceRequired: described.acceptanceRequired };
}
