// Atlas JSON → the port's types. Fields Atlas returns as null or leaves out are omitted; an answer
// without what the port needs (an id, a known status) is refused as UNEXPECTED_RESPONSE rather than
// passed on half-read. interfaceEndpoints/interfaceEndpointId are NOT checked against the spec's
// 24-hex pattern: Atlas returns vpce ids there (VENDORS §1.2 "Spec inaccuracy").

import { AtlasApiError } from '../errors.ts';
import type {
  AtlasCluster,
  AtlasConnectionStatus,
  AtlasEndpointService,
  AtlasInterfaceEndpoint,
  AtlasPrivateEndpointStrings,
  AtlasServiceStatus,
} from '../ports.ts';
import type { AtlasOperation } from './operations.ts';

type Json = Record<string, unknown>;

const SERVICE_STATUSES: readonly AtlasServiceStatus[] = [
  'INITIATING',
  'WAITING_FOR_USER',
  'AVAILABLE',
  'FAILED',
  'DELETING',
];
const CONNECTION_STATUSES: readonly AtlasConnectionStatus[] = [
  'PENDING_ACCEPTANCE',
  'PENDING',
  'AVAILABLE',
  'REJECTED',
  'DELETING',
];

class Reader {
  constructor(readonly operation: AtlasOperation) {}

  fail(what: string): never {
    throw new AtlasApiError('UNEXPECTED_RESPONSE', this.operation, 200, `Atlas's answer ${what}`);
  }

  object(value: unknown, what: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`has no ${what} object`);
    return value as Json;
  }

  string(body: Json, field: string): string {
    const value = body[field];
    if (typeof value !== 'string' || !value) this.fail(`has no ${field}`);
    return value;
  }

  oneOf<T extends string>(body: Json, field: string, allowed: readonly T[]): T {
    const value = this.string(body, field);
    if (!(allowed as readonly string[]).includes(value)) this.fail(`has an unknown ${field} ${JSON.stringify(value)}`);
    return value as T;
  }

  list(value: unknown, field: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(`has a ${field} that is not a list`);
    return value;
  }
}

/** Present, non-empty strings only (Atlas sends errorMessage: null when all is well). */
function optional(body: Json, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' && value ? value : undefined;
}

function withOptional<T extends object>(target: T, fields: Partial<Record<keyof T, string | undefined>>): T {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

/** EndpointService / AWSPrivateLinkConnection (SPEC L18172-18214, L1154-1216). */
export function toEndpointService(value: unknown, operation: AtlasOperation): AtlasEndpointService {
  const read: Reader = new Reader(operation);
  const body = read.object(value, 'endpoint service');
  const interfaceEndpoints = read.list(body.interfaceEndpoints, 'interfaceEndpoints').map((id) => {
    if (typeof id !== 'string') read.fail('has an interface endpoint id that is not a string');
    return id;
  });
  const service: AtlasEndpointService = {
    id: read.string(body, 'id'),
    regionName: read.string(body, 'regionName'),
    status: read.oneOf(body, 'status', SERVICE_STATUSES),
    interfaceEndpoints,
  };
  return withOptional(service, {
    endpointServiceName: optional(body, 'endpointServiceName'),
    errorMessage: optional(body, 'errorMessage'),
  });
}

/** GET …/privateEndpoint/AWS/endpointService answers a bare array (SPEC L62079-62131). */
export function toEndpointServices(value: unknown): AtlasEndpointService[] {
  const read: Reader = new Reader('listEndpointServices');
  if (!Array.isArray(value)) read.fail('is not a list of endpoint services');
  return value.map((item) => toEndpointService(item, 'listEndpointServices'));
}

/** PrivateLinkEndpoint / AWSInterfaceEndpoint (SPEC L35357-35383, L891-927). */
export function toInterfaceEndpoint(value: unknown, operation: AtlasOperation): AtlasInterfaceEndpoint {
  const read: Reader = new Reader(operation);
  const body = read.object(value, 'interface endpoint');
  const endpoint: AtlasInterfaceEndpoint = {
    interfaceEndpointId: read.string(body, 'interfaceEndpointId'),
    connectionStatus: read.oneOf(body, 'connectionStatus', CONNECTION_STATUSES),
    deleteRequested: body.deleteRequested === true,
  };
  return withOptional(endpoint, { errorMessage: optional(body, 'errorMessage') });
}

/** ClusterDescription20240805 (SPEC L10334ff): name, stateName, connectionStrings.privateEndpoint[]. */
export function toCluster(value: unknown): AtlasCluster {
  const read: Reader = new Reader('getCluster');
  const body = read.object(value, 'cluster');
  const strings =
    body.connectionStrings === undefined || body.connectionStrings === null
      ? {}
      : read.object(body.connectionStrings, 'connectionStrings');
  const clusterType = optional(body, 'clusterType');
  const cluster: AtlasCluster = {
    name: read.string(body, 'name'),
    stateName: read.string(body, 'stateName'),
    privateEndpoint: read
      .list(strings.privateEndpoint, 'privateEndpoint')
      .map((item) => toPrivateEndpointStrings(read, item, clusterType)),
  };
  return withOptional(cluster, { clusterType });
}

/** ClusterDescriptionConnectionStringsPrivateEndpoint (SPEC L10556-10609). */
function toPrivateEndpointStrings(
  read: Reader,
  value: unknown,
  clusterType: string | undefined,
): AtlasPrivateEndpointStrings {
  const body = read.object(value, 'privateEndpoint entry');
  // type is MONGOD for a replica set, MONGOS for a sharded cluster; inferred from clusterType if left out.
  const type = body.type === 'MONGOD' || body.type === 'MONGOS' ? body.type : inferredType(read, body, clusterType);
  const endpoints = read.list(body.endpoints, 'endpoints').map((item) => {
    const endpoint = read.object(item, 'privateEndpoint endpoint');
    return {
      endpointId: read.string(endpoint, 'endpointId'),
      providerName: read.string(endpoint, 'providerName'),
      region: read.string(endpoint, 'region'),
    };
  });
  const entry: AtlasPrivateEndpointStrings = { type, endpoints };
  return withOptional(entry, {
    connectionString: optional(body, 'connectionString'),
    srvConnectionString: optional(body, 'srvConnectionString'),
    srvShardOptimizedConnectionString: optional(body, 'srvShardOptimizedConnectionString'),
  });
}

function inferredType(read: Reader, body: Json, clusterType: string | undefined): 'MONGOD' | 'MONGOS' {
  if (body.type !== undefined && body.type !== null) read.fail(`has an unknown privateEndpoint type`);
  return clusterType === 'SHARDED' || clusterType === 'GEOSHARDED' ? 'MONGOS' : 'MONGOD';
}
