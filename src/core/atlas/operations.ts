// Names of the Atlas calls the adapter makes. They label errors ("… (atlas:getEndpoint)") and are what
// the sandbox's `--fault atlas:OPERATION:STATUS` accepts, so a typo in a fault is refused, not ignored.
export const ATLAS_OPERATIONS = [
  'listEndpointServices',
  'createEndpointService',
  'getEndpointService',
  'deleteEndpointService',
  'createEndpoint',
  'getEndpoint',
  'deleteEndpoint',
  'getCluster',
  'getToken',
] as const;

export type AtlasOperation = (typeof ATLAS_OPERATIONS)[number];

export function isAtlasOperation(name: string): name is AtlasOperation {
  return (ATLAS_OPERATIONS as readonly string[]).includes(name);
}

/** Every private-endpoint operation exists only in this version (VENDORS §1.1, SPEC L62079-62544). */
export const PRIVATE_ENDPOINT_MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json';
/** GET cluster: 2024-08-05 (ClusterDescription20240805) is the one version without a sunset date (SPEC L49528-49544). */
export const CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json';

export const USER_AGENT = 'privatelink-automation (Atlas Administration API v2 adapter)';
