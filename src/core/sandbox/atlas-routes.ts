// Which Atlas Administration API call a request is (VENDORS §1.2 calls A-D, F-H, §1.6 GET cluster, and
// the service-account token), keyed on method + path as the operationIds were renamed (VENDORS §1.2),
// and the versioned media types each one offers (VENDORS §1.1).

import type { AtlasOperation } from '../atlas/operations.ts';

export { ATLAS_OPERATIONS, type AtlasOperation } from '../atlas/operations.ts';

const GROUP = '/api/atlas/v2/groups/([^/]+)';
const SERVICE = `${GROUP}/privateEndpoint/([^/]+)/endpointService/([^/]+)`;

const ROUTES: { pattern: RegExp; methods: Partial<Record<string, AtlasOperation>> }[] = [
  { pattern: /^\/api\/oauth\/token$/, methods: { POST: 'getToken' } },
  { pattern: new RegExp(`^${GROUP}/privateEndpoint/endpointService$`), methods: { POST: 'createEndpointService' } },
  {
    pattern: new RegExp(`^${GROUP}/privateEndpoint/([^/]+)/endpointService$`),
    methods: { GET: 'listEndpointServices' },
  },
  { pattern: new RegExp(`^${SERVICE}$`), methods: { GET: 'getEndpointService', DELETE: 'deleteEndpointService' } },
  { pattern: new RegExp(`^${SERVICE}/endpoint$`), methods: { POST: 'createEndpoint' } },
  { pattern: new RegExp(`^${SERVICE}/endpoint/([^/]+)$`), methods: { GET: 'getEndpoint', DELETE: 'deleteEndpoint' } },
  { pattern: new RegExp(`^${GROUP}/clusters/([^/]+)$`), methods: { GET: 'getCluster' } },
];

export type AtlasRoute =
  | { kind: 'operation'; operation: AtlasOperation; params: string[] }
  /** a known path, another method */
  | { kind: 'method'; allowed: string[] }
  | { kind: 'unknown' };

export function atlasRoute(method: string, path: string): AtlasRoute {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const operation = route.methods[method.toUpperCase()];
    if (!operation) return { kind: 'method', allowed: Object.keys(route.methods) };
    let params: string[];
    try {
      params = match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      params = match.slice(1);
    }
    return { kind: 'operation', operation, params };
  }
  return { kind: 'unknown' };
}

/** Private endpoints are only 2023-01-01; the cluster GET offers three (SPEC L49528-49544). */
export function offeredVersions(operation: AtlasOperation): string[] {
  return operation === 'getCluster' ? ['2023-01-01', '2023-02-01', '2024-08-05'] : ['2023-01-01'];
}

const VERSIONED = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/;

/** The version an Accept header asks for among `offered` (the newest if it names several), else undefined. */
export function acceptedVersion(accept: string | null, offered: string[]): string | undefined {
  const asked = (accept ?? '')
    .split(',')
    .map((part) => VERSIONED.exec(part.split(';')[0]?.trim() ?? '')?.[1])
    .filter((v): v is string => v !== undefined && offered.includes(v));
  return asked.sort().at(-1);
}

/** The version a Content-Type names, else undefined. */
export function contentVersion(contentType: string | null): string | undefined {
  return VERSIONED.exec((contentType ?? '').split(';')[0]?.trim() ?? '')?.[1];
}

export function mediaType(version: string): string {
  return `application/vnd.atlas.${version}+json;charset=utf-8`;
}
