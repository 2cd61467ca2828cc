// Tags on everything the workflow creates: the request's own, plus the id that finds it again.
import { type ProvisionRequest, REQUEST_ID_TAG } from '../domain/request.ts';
import type { Tags } from '../ports.ts';

export const STATUS_TAG = 'privatelink:status';

export function requestTags(request: ProvisionRequest): Tags {
  return { ...request.tags, [REQUEST_ID_TAG]: request.requestId };
}
