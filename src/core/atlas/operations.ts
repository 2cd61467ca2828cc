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

const GROUP = '/api/atlas/v2/groups/[^/]+';
const SERVICES = `${GROUP}/privateEndpoint/AWS/endpointService`;
/** Method + path → operation, keyed on the path as VENDORS §1.2 advises (operationIds were renamed). */
const ROUTES: [string, RegExp, AtlasOperation][] = [
  ['POST', /^\/api\/oauth\/token$/, 'getToken'],
  ['GET', new RegExp(`^${SERVICES}$`), 'listEndpointServices'],
  ['POST', new RegExp(`^${GROUP}/privateEndpoint/endpointService$`), 'createEndpointService'],
  ['GET', new RegExp(`^${SERVICES}/[^/]+$`), 'getEndpointService'],
  ['DELETE', new RegExp(`^${SERVICES}/[^/]+$`), 'deleteEndpointService'],
  ['POST', new RegExp(`^${SERVICES}/[^/]+/endpoint$`), 'createEndpoint'],
  ['GET', new RegExp(`^${SERVICES}/[^/]+/endpoint/[^/]+$`), 'getEndpoint'],
  ['DELETE', new RegExp(`^${SERVICES}/[^/]+/endpoint/[^/]+$`), 'deleteEndpoint'],
  ['GET', new RegExp(`^${GROUP}/clusters/[^/]+$`), 'getCluster'],
];

/** Which operation a request is (for the simulated Atlas and its faults); undefined for any other call. */
export function atlasOperationOf(method: string, path: string): AtlasOperation | undefined {
  return ROUTES.find(([m, pattern]) => m === method.toUpperCase() && pattern.test(path))?.[2];
}
