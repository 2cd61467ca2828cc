// Tags on everything the workflow creates: the request's own, plus the id that finds it again.
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import type { Tags } from '../ports.ts';
import type { ServiceState } from './state.ts';

export const STATUS_TAG = 'privatelink:status';
/** On an endpoint to Atlas: the project and Atlas endpoint service it is registered with. */
export const ATLAS_PROJECT_TAG = 'privatelink:atlas-project';
export const ATLAS_SERVICE_TAG = 'privatelink:atlas-endpoint-service';
/** "true" when this request created Atlas's endpoint service (teardown may then delete it once unused). */
export const ATLAS_SERVICE_CREATED_TAG = 'privatelink:atlas-endpoint-service-created';

export function atlasTags(service: ServiceState): Tags {
  if (!service.vendor) return {};
  return {
    [ATLAS_PROJECT_TAG]: service.vendor.projectId,
    [ATLAS_SERVICE_TAG]: service.vendor.endpointServiceId,
    [ATLAS_SERVICE_CREATED_TAG]: String(service.vendor.created),
  };
}

export function requestTags(request: ProvisionRequest): Tags {
  return { ...request.tags, [REQUEST_ID_TAG]: request.requestId };
}
