// Before a waiting hand-off resumes, the endpoint the other party reports is checked: it exists, it is
// an endpoint to this request's service, and it comes from the account the request names. Otherwise
// finalize is refused and the wait goes on, so a mistyped id never ends (and undoes) the hand-off.
// For Atlas's service the check is Atlas's own: the endpoint is registered there, which Atlas refuses
// for an endpoint it cannot see.
import { atlasRegionName } from '../domain/regions.ts';
import { EndpointId, type ProvisionRequest } from '../domain/request.ts';
import { AtlasApiError, ConsumerEndpointRefusedError } from '../errors.ts';
import type { AtlasPort, Ec2Port } from '../ports.ts';

export interface WaitingService {
  serviceId?: string;
  serviceName?: string;
}

export async function verifyConsumerEndpoint(
  request: ProvisionRequest,
  service: WaitingService,
  endpointId: string,
  ports: { ec2: Ec2Port; atlas?: AtlasPort },
): Promise<void> {
  if (!EndpointId.safeParse(endpointId).success)
    throw new ConsumerEndpointRefusedError(
      'InvalidEndpointId',
      `${JSON.stringify(endpointId.slice(0, 40))} is not a VPC endpoint id`,
    );
  const account = 'external' in request.consumer ? request.consumer.external.accountId : undefined;
  if ('atlas' in request.service) {
    if (!ports.atlas) throw new Error('checking an Atlas hand-off needs the Atlas adapter');
    return registerAtAtlas(request.service.atlas.projectId, request.region, service, endpointId, ports.atlas);
  }
  if (!service.serviceId)
    throw new ConsumerEndpointRefusedError('ConsumerEndpointWrongService', 'the request has no endpoint service yet');
  const connection = (await ports.ec2.listServiceConnections(service.serviceId)).find(
    (c) => c.endpointId === endpointId,
  );
  if (!connection)
    throw new ConsumerEndpointRefusedError(
      'ConsumerEndpointNotFound',
      `${endpointId} is not an endpoint to ${service.serviceName ?? service.serviceId}: the other party must create it for that service`,
    );
  if (account && connection.endpointOwner && connection.endpointOwner !== account)
    throw new ConsumerEndpointRefusedError(
      'ConsumerAccountMismatch',
      `${endpointId} belongs to account ${connection.endpointOwner}, not ${account}`,
    );
}

async function registerAtAtlas(
  projectId: string,
  region: string,
  service: WaitingService,
  endpointId: string,
  atlas: AtlasPort,
): Promise<void> {
  const found = (await atlas.listEndpointServices(projectId)).find(
    (s) => s.regionName === atlasRegionName(region) && s.endpointServiceName === service.serviceName,
  );
  if (!found)
    throw new ConsumerEndpointRefusedError(
      'ConsumerEndpointWrongService',
      `Atlas has no endpoint service ${service.serviceName}`,
    );
  if (await atlas.getEndpoint(projectId, found.id, endpointId)) return;
  try {
    await atlas.createEndpoint(projectId, found.id, endpointId);
  } catch (error) {
    if (error instanceof AtlasApiError)
      throw new ConsumerEndpointRefusedError(
        'ConsumerEndpointNotFound',
        `Atlas refused ${endpointId} for ${service.serviceName}: ${error.code} (${error.message})`,
      );
    throw error;
  }
}
