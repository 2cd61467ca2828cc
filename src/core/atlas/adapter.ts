// The Atlas Administration API v2 adapter: calls A-D, F-H of VENDORS §1.2 and GET cluster (§1.6), with
// the documented media types, a service-account bearer token, and errors in the project's terms.
import type { AtlasPort } from '../ports.ts';
import { type AtlasAdapterOptions, createAtlasClient, NOT_FOUND } from './client.ts';
import {
  atlasRegionName,
  checkedEndpointId,
  clusterSegment,
  endpointSegment,
  projectSegment,
  serviceSegment,
} from './ids.ts';
import { toCluster, toEndpointService, toEndpointServices, toInterfaceEndpoint } from './map.ts';
import { CLUSTER_MEDIA_TYPE, PRIVATE_ENDPOINT_MEDIA_TYPE } from './operations.ts';

export type { AtlasAdapterOptions } from './client.ts';

export function buildAtlasAdapter(options: AtlasAdapterOptions): AtlasPort {
  const { send } = createAtlasClient(options);
  const group = (projectId: string) => `/api/atlas/v2/groups/${projectSegment(projectId)}`;
  const awsServices = (projectId: string) => `${group(projectId)}/privateEndpoint/AWS/endpointService`;
  const awsService = (projectId: string, serviceId: string) => `${awsServices(projectId)}/${serviceSegment(serviceId)}`;
  const awsEndpoint = (projectId: string, serviceId: string, endpointId: string) =>
    `${awsService(projectId, serviceId)}/endpoint/${endpointSegment(endpointId)}`;
  const pe = PRIVATE_ENDPOINT_MEDIA_TYPE;

  return {
    async listEndpointServices(projectId) {
      const path = awsServices(projectId);
      return toEndpointServices(await send({ operation: 'listEndpointServices', method: 'GET', path, mediaType: pe }));
    },
    async createEndpointService(projectId, region) {
      const body = { providerName: 'AWS', region: atlasRegionName(region) };
      const path = `${group(projectId)}/privateEndpoint/endpointService`;
      const answer = await send({
        operation: 'createEndpointService',
        method: 'POST',
        path,
        mediaType: pe,
        body,
      });
      return toEndpointService(answer, 'createEndpointService');
    },
    async getEndpointService(projectId, serviceId) {
      const path = awsService(projectId, serviceId);
      const answer = await send({
        operation: 'getEndpointService',
        method: 'GET',
        path,
        mediaType: pe,
        missingIsAbsent: true,
      });
      return answer === NOT_FOUND ? undefined : toEndpointService(answer, 'getEndpointService');
    },
    async deleteEndpointService(projectId, serviceId) {
      // 404: gone already, e.g. with its last endpoint (SPEC L62316).
      const path = awsService(projectId, serviceId);
      await send({ operation: 'deleteEndpointService', method: 'DELETE', path, mediaType: pe, missingIsAbsent: true });
    },
    async createEndpoint(projectId, serviceId, endpointId) {
      const path = `${awsService(projectId, serviceId)}/endpoint`;
      const body = { id: checkedEndpointId(endpointId) };
      const answer = await send({ operation: 'createEndpoint', method: 'POST', path, mediaType: pe, body });
      return toInterfaceEndpoint(answer, 'createEndpoint');
    },
    async getEndpoint(projectId, serviceId, endpointId) {
      const path = awsEndpoint(projectId, serviceId, endpointId);
      const answer = await send({
        operation: 'getEndpoint',
        method: 'GET',
        path,
        mediaType: pe,
        missingIsAbsent: true,
      });
      return answer === NOT_FOUND ? undefined : toInterfaceEndpoint(answer, 'getEndpoint');
    },
    async deleteEndpoint(projectId, serviceId, endpointId) {
      const path = awsEndpoint(projectId, serviceId, endpointId);
      await send({ operation: 'deleteEndpoint', method: 'DELETE', path, mediaType: pe, missingIsAbsent: true });
    },
    async getCluster(projectId, clusterName) {
      const path = `${group(projectId)}/clusters/${clusterSegment(clusterName)}`;
      return toCluster(await send({ operation: 'getCluster', method: 'GET', path, mediaType: CLUSTER_MEDIA_TYPE }));
    },
  };
}
