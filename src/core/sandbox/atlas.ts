// The sandbox's simulated MongoDB Atlas organization (seed `atlas`): it answers the Atlas Administration
// API v2 calls the adapter makes, at the HTTP level, with Atlas's shapes, status codes, ApiError bodies
// and media types (VENDORS §1), its lifecycles on the simulated clock (atlas-state.ts). The AWS endpoint
// services it creates live in the EC2 simulation under atlas.accountId, and it accepts the AWS connection
// of an endpoint itself once that endpoint is registered, as Atlas does.
import { createHash } from 'node:crypto';
import { AWS_REGIONS } from '../domain/regions.ts';
import type { AtlasConnectionStatus } from '../ports.ts';
import {
  type AtlasAnswer,
  apiError,
  badRequest,
  json,
  notFound,
  oauthError,
  serviceAlreadyExists,
  unauthorized,
} from './atlas-errors.ts';
import {
  type AtlasOperation,
  acceptedVersion,
  atlasRoute,
  contentVersion,
  mediaType,
  offeredVersions,
} from './atlas-routes.ts';
import {
  type AtlasClock,
  type AtlasEndpointRecord,
  type AtlasOrg,
  type AtlasServiceRecord,
  type AtlasState,
  atlasRegion,
  awsRegion,
  clusterState,
  connectionStatus,
  endpointGone,
  serviceGone,
  serviceStatus,
  stringsAt,
} from './atlas-state.ts';
import { type PublicDnsRecord, privateEndpointDns, privateEndpointStrings, publicStrings } from './atlas-strings.ts';
import type { SimContext } from './context.ts';
import type { EndpointView, VendorServiceArgs } from './ec2-vendors.ts';

export { ATLAS_OPERATIONS, type AtlasOperation, atlasRoute } from './atlas-routes.ts';
export { type AtlasOrg, type AtlasState, atlasRegion, emptyAtlasState } from './atlas-state.ts';
export type { PublicDnsRecord } from './atlas-strings.ts';

/** What Atlas needs from the EC2 simulation (Ec2Sim has these). */
export interface AtlasAwsSide {
  addVendorService(args: VendorServiceArgs): { serviceId: string; serviceName: string };
  removeVendorService(serviceId: string): void;
  vendorDecide(
    endpointId: string,
    decision: 'accept' | 'reject',
    asOwner?: string,
  ): { endpointId: string; serviceId: string; state: string };
  endpointView(endpointId: string): EndpointView | undefined;
}

export interface AtlasRequest {
  method: string;
  /** the URL's path, without query */
  path: string;
  headers: Headers;
  body: string;
}

export interface AtlasInventory {
  endpointServices: {
    projectId: string;
    id: string;
    regionName: string;
    status: string;
    endpointServiceName: string | null;
    interfaceEndpoints: string[];
  }[];
  endpoints: { projectId: string; endpointServiceId: string; interfaceEndpointId: string; connectionStatus: string }[];
  dnsRecords: PublicDnsRecord[];
}

const TOKEN_LIFETIME_SECONDS = 3600;
const HEX24 = /^[a-f0-9]{24}$/;
const VPCE = /^vpce-[0-9a-f]{17}$/;
const PROVIDERS = new Set(['AWS', 'AZURE', 'GCP']);

type Handler = (params: string[], request: AtlasRequest, version: string) => AtlasAnswer;

export class AtlasSim {
  private readonly handlers: Record<Exclude<AtlasOperation, 'getToken'>, Handler> = {
    listEndpointServices: (p) => this.listServices(p),
    createEndpointService: (p, r) => this.createService(p, r),
    getEndpointService: (p) => this.withService(p, (s) => this.ok(this.serviceView(s))),
    deleteEndpointService: (p) => this.withService(p, (s) => this.deleteService(s)),
    createEndpoint: (p, r) => this.withService(p, (s) => this.registerEndpoint(s, r)),
    getEndpoint: (p) => this.withEndpoint(p, (e) => this.ok(this.endpointJson(e))),
    deleteEndpoint: (p) => this.withEndpoint(p, (e) => this.deregisterEndpoint(e)),
    getCluster: (p, _r, v) => this.getCluster(p, v),
  };

  constructor(
    private readonly ctx: SimContext,
    private readonly state: AtlasState,
    private readonly org: AtlasOrg | undefined,
    private readonly aws: AtlasAwsSide,
    /** the zones Atlas's AWS services support in a region (the seed's, by default every zone it uses there) */
    private readonly zonesIn: (region: string) => string[] | undefined = () => undefined,
  ) {}

  /** Answers one request; never throws for anything a client could send. */
  handle(request: AtlasRequest): AtlasAnswer {
    const route = atlasRoute(request.method, request.path);
    if (route.kind === 'unknown') return notFound(`Cannot find resource ${request.path}.`, [request.path]);
    if (route.kind === 'method')
      return apiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${request.path}.`, [
        request.method,
      ]);
    if (route.operation === 'getToken') return this.token(request);
    if (!this.authorized(request.headers.get('authorization'))) return unauthorized();
    const offered = offeredVersions(route.operation);
    const version = acceptedVersion(request.headers.get('accept'), offered);
    // (inference) Atlas's answer to a missing or unoffered version; VENDORS §1.1 found no statement for a missing one.
    if (!version)
      return apiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.', [
        offered.map((v) => `application/vnd.atlas.${v}+json`).join(', '),
      ]);
    const invalid = this.checkPath(route.operation, route.params);
    if (invalid) return invalid;
    if (request.method === 'POST' && contentVersion(request.headers.get('content-type')) !== version)
      return apiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as application/vnd.atlas.${version}+json.`);
    const answer = this.handlers[route.operation](route.params, request, version);
    if (answer.status >= 300 || answer.body === undefined) return answer;
    return { ...answer, headers: { ...answer.headers, 'content-type': mediaType(version) } };
  }

  /** The regional DNS records Atlas publishes for every endpoint whose connection strings are out. */
  dnsRecords(): PublicDnsRecord[] {
    const records: PublicDnsRecord[] = [];
    for (const { endpoint, service } of this.liveEndpoints()) {
      if (!this.stringsReady(endpoint)) continue;
      const dnsName = this.aws.endpointView(endpoint.endpointId)?.dnsName;
      if (!dnsName) continue;
      for (const cluster of this.clustersIn(service)) {
        records.push(...privateEndpointDns(service.projectId, cluster, endpoint.index, dnsName));
      }
    }
    return records;
  }

  /** The vpce ids registered with a live endpoint service (any account's). */
  registeredEndpointIds(): string[] {
    return this.liveEndpoints().map(({ endpoint }) => endpoint.endpointId);
  }

  inventory(): AtlasInventory {
    return {
      endpointServices: this.liveServices().map((s) => ({ projectId: s.projectId, ...this.serviceView(s) })),
      endpoints: this.liveEndpoints().map(({ endpoint, service }) => ({
        projectId: service.projectId,
        endpointServiceId: service.id,
        interfaceEndpointId: endpoint.endpointId,
        connectionStatus: this.status(endpoint).status,
      })),
      dnsRecords: this.dnsRecords(),
    };
  }

  // --- the token endpoint -------------------------------------------------------------------------

  private token(request: AtlasRequest): AtlasAnswer {
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim();
    if (contentType !== 'application/x-www-form-urlencoded')
      return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
    const grant = new URLSearchParams(request.body).get('grant_type');
    if (grant !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const account = this.org?.serviceAccount;
    const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const matches = (given: string, expected: string) => given === expected || formDecode(given) === expected;
    const valid =
      account !== undefined && colon > 0 && matches(id, account.clientId) && matches(secret, account.clientSecret);
    if (!valid) return oauthError(401, 'invalid_client', 'Invalid client credentials.');
    const now = this.ctx.now();
    this.state.tokens = this.state.tokens.filter((t) => t.expiresAt > now);
    const token = `sandbox.${this.hex('token', 40)}`;
    this.state.tokens.push({ token, expiresAt: now + TOKEN_LIFETIME_SECONDS * 1000 });
    return json(200, { access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' });
  }

  private authorized(header: string | null): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    const now = this.ctx.now();
    return token !== undefined && this.state.tokens.some((t) => t.token === token && t.expiresAt > now);
  }

  // --- paths ---------------------------------------------------------------------------------------

  /** Path parameters as the spec constrains them (VENDORS §1.2), then the project. */
  private checkPath(operation: AtlasOperation, params: string[]): AtlasAnswer | undefined {
    const [groupId = '', second, third, fourth] = params;
    const malformed = (name: string) =>
      badRequest(
        `One or more path parameter in the request URI is malformed: ${name}.`,
        [name],
        'PATH_PARAM_PARSE_ERROR',
      );
    if (!HEX24.test(groupId)) return malformed('groupId');
    const hasProvider = operation !== 'createEndpointService' && operation !== 'getCluster';
    if (hasProvider && !PROVIDERS.has(second ?? '')) return malformed('cloudProvider');
    if (hasProvider && operation !== 'listEndpointServices' && !HEX24.test(third ?? ''))
      return malformed('endpointServiceId');
    if ((operation === 'getEndpoint' || operation === 'deleteEndpoint') && !VPCE.test(fourth ?? ''))
      return malformed('endpointId');
    if (!this.project(groupId)) return notFound(`No group with ID ${groupId} exists.`, [groupId]);
    return undefined;
  }

  private project(projectId: string) {
    return this.org?.projects.find((p) => p.projectId === projectId);
  }

  private ok(value: unknown): AtlasAnswer {
    return json(200, value);
  }

  // --- endpoint services ---------------------------------------------------------------------------

  private listServices([groupId = '', provider]: string[]): AtlasAnswer {
    const services = provider === 'AWS' ? this.liveServices().filter((s) => s.projectId === groupId) : [];
    // a bare array, not a {results: []} page (VENDORS §1.2 B)
    return this.ok(services.map((s) => this.serviceView(s)));
  }

  private createService([groupId = '']: string[], request: AtlasRequest): AtlasAnswer {
    const body = parseBody(request.body);
    if (!body) return badRequest('The request body is not valid JSON.');
    if (body.providerName !== 'AWS')
      return badRequest(
        `providerName must be AWS in the sandbox (got ${JSON.stringify(body.providerName)}).`,
        ['providerName'],
        'INVALID_ENUM_VALUE',
      );
    const region = typeof body.region === 'string' ? awsRegion(body.region) : '';
    if (!(AWS_REGIONS as readonly string[]).includes(region))
      return badRequest(`Invalid region ${JSON.stringify(body.region)}.`, ['region'], 'INVALID_REGION');
    if (this.liveServices().some((s) => s.projectId === groupId && s.region === region))
      return serviceAlreadyExists(atlasRegion(region));
    const org = this.requireOrg();
    // Atlas's NLB and endpoint service: acceptance required, Atlas accepts registered endpoints itself.
    const zones = this.zonesIn(region);
    const aws = this.aws.addVendorService({
      owner: org.accountId,
      region,
      acceptanceRequired: true,
      ...(zones && { availabilityZones: zones }),
    });
    const record: AtlasServiceRecord = {
      id: this.hex('service', 24),
      projectId: groupId,
      region,
      createdAt: this.ctx.now(),
      awsServiceId: aws.serviceId,
      awsServiceName: aws.serviceName,
    };
    this.state.services.push(record);
    return this.ok(this.serviceView(record));
  }

  private withService(
    [groupId = '', provider, serviceId]: string[],
    then: (service: AtlasServiceRecord) => AtlasAnswer,
  ): AtlasAnswer {
    const service =
      provider === 'AWS' ? this.liveServices().find((s) => s.projectId === groupId && s.id === serviceId) : undefined;
    if (!service)
      return notFound(`No private endpoint service with ID ${serviceId} exists in group ${groupId}.`, [
        serviceId,
        groupId,
      ]);
    return then(service);
  }

  private deleteService(service: AtlasServiceRecord): AtlasAnswer {
    const inUse = this.endpointsOf(service).filter((e) => e.deleteRequestedAt === undefined);
    // (inference) D declares no 409 (VENDORS §1.2), so a service with endpoints is refused with a 400.
    if (inUse.length > 0)
      return badRequest(
        `Private endpoint service ${service.id} still has interface endpoints: ${inUse.map((e) => e.endpointId).join(', ')}.`,
        [service.id],
        'PRIVATE_ENDPOINT_SERVICE_HAS_INTERFACE_ENDPOINTS',
      );
    this.markServiceDeleted(service);
    return { status: 204, headers: {} };
  }

  private markServiceDeleted(service: AtlasServiceRecord): void {
    if (service.deleteRequestedAt !== undefined) return;
    service.deleteRequestedAt = this.ctx.now();
    this.aws.removeVendorService(service.awsServiceId);
  }

  private serviceView(s: AtlasServiceRecord) {
    const endpoints = this.endpointsOf(s);
    const status = serviceStatus(
      s,
      endpoints.map((e) => this.status(e).status),
      this.clock(),
    );
    return {
      cloudProvider: 'AWS',
      // "MongoDB Cloud returns null while it creates the endpoint service" (SPEC L1154-1216)
      endpointServiceName: status === 'INITIATING' ? null : s.awsServiceName,
      errorMessage: null,
      id: s.id,
      interfaceEndpoints: endpoints.map((e) => e.endpointId),
      regionName: atlasRegion(s.region),
      status,
    };
  }

  // --- interface endpoints -------------------------------------------------------------------------

  private registerEndpoint(service: AtlasServiceRecord, request: AtlasRequest): AtlasAnswer {
    const body = parseBody(request.body);
    if (!body) return badRequest('The request body is not valid JSON.');
    const endpointId = body.id;
    if (typeof endpointId !== 'string' || !VPCE.test(endpointId))
      return badRequest(`id must match ^vpce-[0-9a-f]{17}$ (got ${JSON.stringify(endpointId)}).`, ['id']);
    if (service.deleteRequestedAt !== undefined)
      return badRequest(`Private endpoint service ${service.id} is being deleted.`, [service.id]);
    if (this.endpointsOf(service).some((e) => e.endpointId === endpointId))
      return apiError(
        409,
        'PRIVATE_ENDPOINT_ALREADY_EXISTS',
        `Interface endpoint ${endpointId} is already registered with private endpoint service ${service.id}.`,
        [endpointId, service.id],
      );
    const view = this.aws.endpointView(endpointId);
    const targetsService =
      view !== undefined &&
      view.state !== 'deleting' &&
      (view.serviceId === service.awsServiceId || view.serviceName === service.awsServiceName);
    if (!targetsService)
      return badRequest(
        `No interface endpoint ${endpointId} to ${service.awsServiceName} exists in AWS region ${service.region}.`,
        [endpointId],
      );
    const now = this.ctx.now();
    const awsAvailableMs = this.ctx.timing.endpointAvailableAfterSeconds * 1000;
    let awsReadyAt = now + awsAvailableMs;
    if (view.state === 'available') awsReadyAt = now;
    // Atlas, the service's owner, accepts the connection itself (VENDORS §1.2; contract: Vendors).
    else if (view.state === 'pendingAcceptance')
      this.aws.vendorDecide(endpointId, 'accept', this.requireOrg().accountId);
    const used = new Set(this.endpointsOf(service).map((e) => e.index));
    let index = 0;
    while (used.has(index)) index += 1;
    const record: AtlasEndpointRecord = {
      serviceId: service.id,
      projectId: service.projectId,
      endpointId,
      index,
      registeredAt: now,
      awsReadyAt,
    };
    this.state.endpoints.push(record);
    // The answer of the registration itself, as the Atlas CLI shows it (VENDORS §1.2, CLI PR #578).
    return this.ok({ ...this.endpointJson(record), connectionStatus: 'PENDING_ACCEPTANCE' });
  }

  private withEndpoint(params: string[], then: (endpoint: AtlasEndpointRecord) => AtlasAnswer): AtlasAnswer {
    const endpointId = params[3];
    return this.withService(params, (service) => {
      const endpoint = this.endpointsOf(service).find((e) => e.endpointId === endpointId);
      if (!endpoint)
        return notFound(`No interface endpoint ${endpointId} exists for private endpoint service ${service.id}.`, [
          endpointId,
          service.id,
        ]);
      return then(endpoint);
    });
  }

  private deregisterEndpoint(endpoint: AtlasEndpointRecord): AtlasAnswer {
    if (endpoint.deleteRequestedAt === undefined) {
      endpoint.deleteRequestedAt = this.ctx.now();
      const service = this.state.services.find((s) => s.id === endpoint.serviceId);
      // "When the last private endpoint is removed from a given private endpoint service, that private
      // endpoint service is also removed." (SPEC L62316)
      if (service && this.endpointsOf(service).every((e) => e.deleteRequestedAt !== undefined))
        this.markServiceDeleted(service);
    }
    return { status: 204, headers: {} };
  }

  private endpointJson(e: AtlasEndpointRecord) {
    const { status, errorMessage } = this.status(e);
    return {
      cloudProvider: 'AWS',
      connectionStatus: status,
      deleteRequested: e.deleteRequestedAt !== undefined,
      errorMessage: errorMessage ?? null,
      interfaceEndpointId: e.endpointId,
    };
  }

  private status(e: AtlasEndpointRecord): { status: AtlasConnectionStatus; errorMessage?: string } {
    return connectionStatus(e, this.aws.endpointView(e.endpointId), this.clock());
  }

  private stringsReady(e: AtlasEndpointRecord): boolean {
    return this.status(e).status === 'AVAILABLE' && this.ctx.now() >= stringsAt(e, this.clock());
  }

  // --- clusters ------------------------------------------------------------------------------------

  private getCluster([groupId = '', name]: string[], version: string): AtlasAnswer {
    // Atlas names a cluster once per project whatever the letter case (seed.ts checks the same).
    const cluster = this.project(groupId)?.clusters.find((c) => c.name.toLowerCase() === name?.toLowerCase());
    // as Atlas words it (pulumi-mongodbatlas #522)
    if (!cluster)
      return apiError(404, 'CLUSTER_NAME_NOT_FOUND', `No cluster with name "${name}" exists in group ${groupId}.`, [
        name,
        groupId,
      ]);
    // Only endpoints in the cluster's region: strings exist once every region of its nodes has one (SPEC L10249-10254).
    const privateEndpoint = this.liveEndpoints()
      .filter(({ service }) => service.projectId === groupId && service.region === cluster.region)
      .filter(({ endpoint }) => endpoint.deleteRequestedAt === undefined && this.stringsReady(endpoint))
      .map(({ endpoint }) => privateEndpointStrings(groupId, cluster, endpoint.index, endpoint.endpointId));
    const digest = createHash('sha256').update(`${groupId}:cluster:${cluster.name}`).digest('hex');
    return this.ok({
      clusterType: cluster.type,
      connectionStrings: {
        ...publicStrings(groupId, cluster),
        ...(privateEndpoint.length > 0 && { privateEndpoint }),
      },
      groupId,
      id: digest.slice(0, 24),
      mongoDBMajorVersion: '8.0',
      name: cluster.name,
      paused: false,
      stateName: clusterState(groupId, this.state.endpoints, this.clock()),
      // The three versions differ in fields the sandbox does not model (replication specs, providerSettings).
      ...(version === '2023-01-01' && {
        providerSettings: { providerName: 'AWS', regionName: atlasRegion(cluster.region) },
      }),
    });
  }

  private clustersIn(service: AtlasServiceRecord) {
    return (this.project(service.projectId)?.clusters ?? []).filter((c) => c.region === service.region);
  }

  // --- state ---------------------------------------------------------------------------------------

  private clock(): AtlasClock {
    const timing = this.org?.timing;
    return {
      now: this.ctx.now(),
      serviceReadyMs: (timing?.serviceReadyAfterSeconds ?? 0) * 1000,
      endpointAvailableMs: (timing?.endpointAvailableAfterSeconds ?? 0) * 1000,
      connectionStringsMs: (timing?.connectionStringsAfterSeconds ?? 0) * 1000,
      deletingMs: this.ctx.timing.endpointDeletedAfterSeconds * 1000,
    };
  }

  private liveServices(): AtlasServiceRecord[] {
    const c = this.clock();
    return this.state.services.filter((s) => !serviceGone(s, c));
  }

  private endpointsOf(service: AtlasServiceRecord): AtlasEndpointRecord[] {
    const c = this.clock();
    return this.state.endpoints.filter((e) => e.serviceId === service.id && !endpointGone(e, c));
  }

  private liveEndpoints(): { endpoint: AtlasEndpointRecord; service: AtlasServiceRecord }[] {
    return this.liveServices().flatMap((service) =>
      this.endpointsOf(service).map((endpoint) => ({ endpoint, service })),
    );
  }

  private requireOrg(): AtlasOrg {
    if (!this.org) throw new Error('the sandbox seed has no atlas organization');
    return this.org;
  }

  /** Deterministic ids from a counter of the Atlas state, so Atlas calls never shift the EC2 ids. */
  private hex(kind: string, length: number): string {
    this.state.counter += 1;
    const seed = `${this.org?.accountId ?? ''}:atlas:${kind}:${this.state.counter}`;
    return createHash('sha256').update(seed).digest('hex').slice(0, length);
  }
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 6749 §2.3.1 form-encodes the Basic credentials; clients that do not still work. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
