// Our interface endpoint at Atlas: registered once (idempotent across re-runs), then followed until
// Atlas says AVAILABLE. Atlas, not us, accepts the AWS connection once it knows the endpoint id.
import { AtlasApiError, VendorStateError } from '../errors.ts';
import type { AtlasInterfaceEndpoint } from '../ports.ts';
import type { AtlasStepPorts, ServiceState } from './state.ts';

function atlasIds(service: ServiceState): { projectId: string; endpointServiceId: string } {
  if (!service.vendor) throw new VendorStateError('NotAtlas', 'the endpoint service is not Atlas’s');
  return service.vendor;
}

/** Registers `endpointId` unless Atlas already has it (a re-run, or finalize registered it). */
export async function registerAtlasEndpoint(
  service: ServiceState,
  endpointId: string,
  ports: Pick<AtlasStepPorts, 'atlas'>,
): Promise<AtlasInterfaceEndpoint> {
  const { projectId, endpointServiceId } = atlasIds(service);
  const existing = await ports.atlas.getEndpoint(projectId, endpointServiceId, endpointId);
  if (existing && existing.connectionStatus !== 'DELETING') return existing;
  try {
    return await ports.atlas.createEndpoint(projectId, endpointServiceId, endpointId);
  } catch (error) {
    // A retried registration whose first attempt reached Atlas: it is ours already.
    if (!(error instanceof AtlasApiError && error.status === 409)) throw error;
    const registered = await ports.atlas.getEndpoint(projectId, endpointServiceId, endpointId);
    if (!registered) throw error;
    return registered;
  }
}

/** Atlas's view of the endpoint; fails on REJECTED or an error message, as the Terraform provider does (§2.2). */
export async function atlasEndpointStatus(
  service: ServiceState,
  endpointId: string,
  ports: Pick<AtlasStepPorts, 'atlas'>,
): Promise<AtlasInterfaceEndpoint> {
  const { projectId, endpointServiceId } = atlasIds(service);
  const found = await ports.atlas.getEndpoint(projectId, endpointServiceId, endpointId);
  if (!found)
    throw new VendorStateError('AtlasEndpointNotRegistered', `Atlas no longer lists ${endpointId} on its service`);
  if (found.connectionStatus === 'REJECTED')
    throw new VendorStateError(
      'AtlasEndpointRejected',
      `Atlas rejected ${endpointId}${found.errorMessage ? `: ${found.errorMessage}` : ''}`,
    );
  if (found.errorMessage)
    throw new VendorStateError('AtlasEndpointFailed', `Atlas reports for ${endpointId}: ${found.errorMessage}`);
  return found;
}
