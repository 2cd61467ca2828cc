// The sandbox's simulated Atlas organization, driven in-process through Sandbox.atlasFetch: tokens, media
// types, path checks, the service / endpoint / cluster lifecycles, connection strings, public DNS, faults.
import { DescribeVpcEndpointServicesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atlasPortFromEnvironment } from '../../src/core/atlas/credentials.ts';
import { clearAtlasTokens } from '../../src/core/atlas/oauth.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import { AtlasApiError } from '../../src/core/errors.ts';
import { DEFAULT_SEED_PATH, loadSeed, Sandbox, type SandboxSeed } from '../../src/core/sandbox/index.ts';
import {
  atlasClient,
  type ClusterView,
  CREATE_SERVICE,
  createAwsEndpoint,
  describeAwsEndpoint,
  type EndpointView,
  PE,
  PROJECT,
  SERVICES,
  type ServiceView,
} from './atlas-client.ts';

const ATLAS_ACCOUNT = '536727724300';
const BASE = 'https://cloud.mongodb.com';

let seed: SandboxSeed;
let sandbox: Sandbox;
let detach: () => void;
let atlas: ReturnType<typeof atlasClient>;

beforeEach(async () => {
  seed = await loadSeed(DEFAULT_SEED_PATH);
  sandbox = Sandbox.fromSeed(seed);
  detach = sandbox.attach();
  atlas = atlasClient((url, init) => sandbox.atlasFetch(url, init), BASE);
});
afterEach(() => detach());

/** A service past INITIATING, with our AWS endpoint to it created (not yet registered). */
async function readyService(): Promise<{ service: ServiceView; endpointId: string }> {
  const created = await atlas.createService();
  const { id } = created.body as ServiceView;
  sandbox.advance(180);
  const service = (await atlas.getService(id)).body as ServiceView;
  const endpointId = await createAwsEndpoint(service.endpointServiceName ?? '');
  return { service, endpointId };
}

/** …and registered at Atlas. */
async function registered() {
  const ready = await readyService();
  const answer = await atlas.register(ready.service.id, ready.endpointId);
  expect(answer.status).toBe(200);
  return ready;
}

const cluster = async (name = 'Cluster0') => (await atlas.getCluster(name)).body as ClusterView;
const endpoint = async (serviceId: string, endpointId: string) =>
  (await atlas.getEndpoint(serviceId, endpointId)).body as EndpointView;

describe('the service account token', () => {
  it('trades the seed service account for an hour-long bearer token', async () => {
    const answer = await atlas.tokenAnswer();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
    const token = (answer.body as { access_token: string }).access_token;
    expect((await atlas.api('GET', SERVICES, { token })).status).toBe(200);
    sandbox.advance(3599);
    expect((await atlas.api('GET', SERVICES, { token })).status).toBe(200);
    sandbox.advance(1);
    const expired = await atlas.api('GET', SERVICES, { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({
      detail: 'You are not authorized for this resource.',
      error: 401,
      errorCode: 'UNAUTHORIZED',
      parameters: [],
      reason: 'Unauthorized',
    });
  });

  it('refuses other credentials, other grants and other bodies with OAuth errors', async () => {
    const wrong = await atlas.tokenAnswer({ clientId: 'mdb_sa_id_0123456789abcdef01234567', clientSecret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    expect((await atlas.tokenAnswer(undefined, 'grant_type=password')).body).toMatchObject({
      error: 'unsupported_grant_type',
    });
    expect((await atlas.tokenAnswer(undefined, '{}', 'application/json')).status).toBe(400);
  });

  it('answers every API call without a valid bearer token with 401', async () => {
    expect((await atlas.api('GET', SERVICES, { token: null })).status).toBe(401);
    expect((await atlas.api('GET', SERVICES, { token: 'made-up' })).status).toBe(401);
    expect(
      (await atlas.api('POST', CREATE_SERVICE, { token: null, body: { providerName: 'AWS', region: 'US_EAST_1' } }))
        .status,
    ).toBe(401);
    expect(sandbox.inventory().atlas.endpointServices).toEqual([]);
  });

  it('has neither tokens nor projects when the seed holds no Atlas organization', async () => {
    const { atlas: _none, ...rest } = seed;
    const bare = Sandbox.fromSeed(rest);
    const client = atlasClient((url, init) => bare.atlasFetch(url, init), BASE);
    expect((await client.tokenAnswer()).status).toBe(401);
    expect((await client.api('GET', SERVICES, { token: null })).status).toBe(401);
    expect(bare.inventory().atlas).toEqual({ endpointServices: [], endpoints: [], dnsRecords: [] });
  });
});

describe('requests', () => {
  it('needs the versioned media type each call is documented with', async () => {
    const missing = await atlas.api('GET', SERVICES, { accept: null });
    expect(missing.status).toBe(406);
    expect(missing.body).toMatchObject({ error: 406, errorCode: 'INVALID_VERSION_DATE' });
    expect((await atlas.api('GET', SERVICES, { accept: 'application/json' })).status).toBe(406);
    expect((await atlas.api('GET', SERVICES, { accept: 'application/vnd.atlas.2024-08-05+json' })).status).toBe(406);
    const ok = await atlas.api('GET', SERVICES);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe(`${PE};charset=utf-8`);
    for (const version of ['2023-01-01', '2023-02-01', '2024-08-05']) {
      const answer = await atlas.getCluster('Cluster0', `application/vnd.atlas.${version}+json`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(`application/vnd.atlas.${version}+json;charset=utf-8`);
    }
    expect((await atlas.getCluster('Cluster0', 'application/vnd.atlas.2025-03-12+json')).status).toBe(406);
    const plainJson = await atlas.api('POST', CREATE_SERVICE, {
      body: { providerName: 'AWS', region: 'US_EAST_1' },
      contentType: 'application/json',
    });
    expect(plainJson.status).toBe(415);
  });

  it('checks path parameters as the spec constrains them, then the project', async () => {
    const bad = await atlas.api('GET', '/api/atlas/v2/groups/not-a-project/privateEndpoint/AWS/endpointService');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errorCode: 'PATH_PARAM_PARSE_ERROR', parameters: ['groupId'] });
    expect((await atlas.getService('Cluster0')).body).toMatchObject({ errorCode: 'PATH_PARAM_PARSE_ERROR' });
    expect((await atlas.api('GET', `${SERVICES}/${'a'.repeat(24)}/endpoint/vpce-123`)).status).toBe(400);
    const otherProject = await atlas.api('GET', SERVICES.replace(PROJECT, 'b'.repeat(24)));
    expect(otherProject.status).toBe(404);
    expect(otherProject.body).toMatchObject({ errorCode: 'RESOURCE_NOT_FOUND' });
    expect((await atlas.api('GET', SERVICES.replace('/AWS/', '/AZURE/'))).body).toEqual([]);
    const noSuchCluster = await atlas.getCluster('Cluster9');
    expect(noSuchCluster.status).toBe(404);
    expect(noSuchCluster.body).toEqual({
      detail: `No cluster with name "Cluster9" exists in group ${PROJECT}.`,
      error: 404,
      errorCode: 'CLUSTER_NAME_NOT_FOUND',
      parameters: ['Cluster9', PROJECT],
      reason: 'Not Found',
    });
    expect((await atlas.api('GET', '/api/atlas/v2/groups')).status).toBe(404);
    expect((await atlas.api('PATCH', SERVICES)).status).toBe(405);
  });

  it('counts each call as atlas:<operation> and lets each take simulated time', async () => {
    const start = sandbox.clock.now();
    await atlas.api('GET', SERVICES);
    await atlas.getCluster();
    expect(sandbox.callCounts()).toEqual({
      'atlas:getToken': 1,
      'atlas:listEndpointServices': 1,
      'atlas:getCluster': 1,
    });
    expect(sandbox.clock.now() - start).toBe(3 * 200);
  });
});

describe('endpoint services', () => {
  it('go INITIATING → WAITING_FOR_USER with an AWS endpoint service of Atlas that requires acceptance', async () => {
    const created = await atlas.createService();
    expect(created.status).toBe(200);
    const service = created.body as ServiceView;
    expect(service).toEqual({
      cloudProvider: 'AWS',
      endpointServiceName: null,
      errorMessage: null,
      id: expect.stringMatching(/^[a-f0-9]{24}$/),
      interfaceEndpoints: [],
      regionName: 'US_EAST_1',
      status: 'INITIATING',
    });
    expect((await atlas.api('GET', SERVICES)).body).toEqual([service]);
    sandbox.advance(179);
    expect((await atlas.getService(service.id)).body).toMatchObject({
      status: 'INITIATING',
      endpointServiceName: null,
    });
    sandbox.advance(1);
    const ready = (await atlas.getService(service.id)).body as ServiceView;
    expect(ready.status).toBe('WAITING_FOR_USER');
    expect(ready.endpointServiceName).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    const aws = await ec2Client('us-east-1').send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [ready.endpointServiceName ?? ''] }),
    );
    expect(aws.ServiceDetails?.[0]).toMatchObject({ Owner: ATLAS_ACCOUNT, AcceptanceRequired: true });
  });

  it('refuses a second service in a project and region with Atlas own 409, and takes either region spelling', async () => {
    await atlas.createService('us-east-1');
    const second = await atlas.createService('US_EAST_1');
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      detail: 'A private endpoint service already exists for AWS region US_EAST_1.',
      error: 409,
      errorCode: 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
      parameters: ['AWS', 'US_EAST_1'],
      reason: 'Conflict',
    });
    expect(((await atlas.api('GET', SERVICES)).body as unknown[]).length).toBe(1);
    expect((await atlas.createService('US_WEST_2')).status).toBe(200);
    expect((await atlas.createService('MARS_1')).status).toBe(400);
    const azure = await atlas.api('POST', CREATE_SERVICE, { body: { providerName: 'AZURE', region: 'US_EAST_1' } });
    expect(azure.status).toBe(400);
    expect((await atlas.api('POST', CREATE_SERVICE, { body: '{not json' })).status).toBe(400);
  });

  it('are deleted on request when no endpoint uses them: DELETING, then 404, and the region is free again', async () => {
    const { id } = (await atlas.createService()).body as ServiceView;
    const serviceName = ((await atlas.getService(id)).body as ServiceView).endpointServiceName;
    expect(serviceName).toBeNull();
    const deleted = await atlas.api('DELETE', `${SERVICES}/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await atlas.getService(id)).body).toMatchObject({ status: 'DELETING' });
    expect((await atlas.createService()).status).toBe(409);
    sandbox.advance(30);
    expect((await atlas.getService(id)).status).toBe(404);
    expect((await atlas.api('DELETE', `${SERVICES}/${id}`)).status).toBe(404);
    expect((await atlas.createService()).status).toBe(200);
  });

  it('cannot be deleted while an endpoint is registered with them', async () => {
    const { service } = await registered();
    const refused = await atlas.api('DELETE', `${SERVICES}/${service.id}`);
    expect(refused.status).toBe(400);
    expect((await atlas.getService(service.id)).body).toMatchObject({ status: 'WAITING_FOR_USER' });
  });
});

describe('interface endpoints', () => {
  it('are accepted by Atlas itself: PENDING_ACCEPTANCE → PENDING → AVAILABLE, and the service AVAILABLE', async () => {
    const { service, endpointId } = await readyService();
    expect((await describeAwsEndpoint(endpointId)).State).toBe('pendingAcceptance');
    const answer = await atlas.register(service.id, endpointId);
    expect(answer.body).toEqual({
      cloudProvider: 'AWS',
      connectionStatus: 'PENDING_ACCEPTANCE',
      deleteRequested: false,
      errorMessage: null,
      interfaceEndpointId: endpointId,
    });
    expect((await describeAwsEndpoint(endpointId)).State).toBe('pending');
    expect(await endpoint(service.id, endpointId)).toMatchObject({ connectionStatus: 'PENDING' });
    expect((await atlas.getService(service.id)).body).toMatchObject({
      status: 'WAITING_FOR_USER',
      interfaceEndpoints: [endpointId],
    });
    sandbox.advance(121);
    expect((await describeAwsEndpoint(endpointId)).State).toBe('available');
    expect(await endpoint(service.id, endpointId)).toMatchObject({ connectionStatus: 'AVAILABLE', errorMessage: null });
    expect((await atlas.getService(service.id)).body).toMatchObject({ status: 'AVAILABLE' });
    expect(sandbox.inventory().atlas.endpoints).toEqual([
      {
        projectId: PROJECT,
        endpointServiceId: service.id,
        interfaceEndpointId: endpointId,
        connectionStatus: 'AVAILABLE',
      },
    ]);
  });

  it('wait for Atlas own time after the AWS side is available', async () => {
    const slow = Sandbox.fromSeed({
      ...seed,
      atlas: { ...seed.atlas, timing: { ...seed.atlas?.timing, endpointAvailableAfterSeconds: 600 } },
    });
    detach();
    sandbox = slow;
    detach = sandbox.attach();
    atlas = atlasClient((url, init) => sandbox.atlasFetch(url, init), BASE);
    const { service, endpointId } = await registered();
    sandbox.advance(300);
    expect((await describeAwsEndpoint(endpointId)).State).toBe('available');
    expect(await endpoint(service.id, endpointId)).toMatchObject({ connectionStatus: 'PENDING' });
    sandbox.advance(301);
    expect(await endpoint(service.id, endpointId)).toMatchObject({ connectionStatus: 'AVAILABLE' });
  });

  it('refuse an id that is no AWS endpoint to this service, or one registered already', async () => {
    const { service, endpointId } = await readyService();
    const malformed = await atlas.register(service.id, 'vpce-123');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ errorCode: 'VALIDATION_ERROR' });
    const unknown = await atlas.register(service.id, 'vpce-0123456789abcdef0');
    expect(unknown.status).toBe(400);
    const toOther = await createAwsEndpoint('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
    expect((await atlas.register(service.id, toOther)).status).toBe(400);
    expect((await atlas.register(service.id, endpointId)).status).toBe(200);
    const again = await atlas.register(service.id, endpointId);
    expect(again.status).toBe(409);
    expect((await atlas.getEndpoint(service.id, 'vpce-0123456789abcdef0')).status).toBe(404);
  });

  it('report an AWS rejection as REJECTED', async () => {
    sandbox.addFault('endpoint:rejected');
    const { service, endpointId } = await registered();
    sandbox.advance(200);
    expect(await endpoint(service.id, endpointId)).toMatchObject({
      connectionStatus: 'REJECTED',
      errorMessage: expect.stringContaining(endpointId),
    });
  });

  it('report an AWS-side failure in errorMessage, as Atlas does', async () => {
    sandbox.addFault('endpoint:failed');
    const { service, endpointId } = await registered();
    sandbox.advance(200);
    expect((await describeAwsEndpoint(endpointId)).State).toBe('failed');
    expect(await endpoint(service.id, endpointId)).toMatchObject({
      connectionStatus: 'PENDING',
      errorMessage: `Interface endpoint ${endpointId} is in state failed in AWS.`,
    });
    expect((await atlas.getService(service.id)).body).toMatchObject({ status: 'WAITING_FOR_USER' });
  });

  it('are deregistered: DELETING, then 404, and the last one takes the service and its AWS side with it', async () => {
    const { service, endpointId } = await registered();
    sandbox.advance(400);
    const deleted = await atlas.deregister(service.id, endpointId);
    expect(deleted.status).toBe(204);
    expect(await endpoint(service.id, endpointId)).toMatchObject({
      connectionStatus: 'DELETING',
      deleteRequested: true,
    });
    expect((await atlas.getService(service.id)).body).toMatchObject({ status: 'DELETING' });
    expect((await cluster()).stateName).toBe('UPDATING');
    // Atlas removed its AWS endpoint service, which rejects the connection on the AWS side.
    expect((await describeAwsEndpoint(endpointId)).State).toBe('rejected');
    sandbox.advance(30);
    expect((await atlas.getEndpoint(service.id, endpointId)).status).toBe(404);
    expect((await atlas.getService(service.id)).status).toBe(404);
    expect((await atlas.deregister(service.id, endpointId)).status).toBe(404);
    expect((await atlas.api('GET', SERVICES)).body).toEqual([]);
    expect(sandbox.inventory().atlas).toEqual({ endpointServices: [], endpoints: [], dnsRecords: [] });
    sandbox.advance(240);
    expect((await cluster()).stateName).toBe('IDLE');
  });

  it('keep the service while another endpoint is registered, each with its own pl-N hosts', async () => {
    const { service, endpointId } = await registered();
    const second = await createAwsEndpoint(service.endpointServiceName ?? '');
    expect((await atlas.register(service.id, second)).status).toBe(200);
    sandbox.advance(400);
    const strings = (await cluster()).connectionStrings.privateEndpoint ?? [];
    expect(strings.map((s) => s.endpoints[0]?.endpointId)).toEqual([endpointId, second]);
    expect(strings[0]?.srvConnectionString).toMatch(/^mongodb\+srv:\/\/cluster0-pl-0\./);
    expect(strings[1]?.srvConnectionString).toMatch(/^mongodb\+srv:\/\/cluster0-pl-1\./);
    await atlas.deregister(service.id, endpointId);
    sandbox.advance(30);
    expect((await atlas.getService(service.id)).body).toMatchObject({
      status: 'AVAILABLE',
      interfaceEndpoints: [second],
    });
  });
});

describe('clusters', () => {
  it('reconfigure after a registration and list the private strings only once IDLE again', async () => {
    expect(await cluster()).toMatchObject({ name: 'Cluster0', stateName: 'IDLE' });
    expect((await cluster()).connectionStrings.privateEndpoint).toBeUndefined();
    const { endpointId } = await registered();
    expect((await cluster()).stateName).toBe('UPDATING');
    expect((await cluster('Orders')).stateName).toBe('UPDATING');
    sandbox.advance(121);
    expect((await cluster()).stateName).toBe('UPDATING');
    expect((await cluster()).connectionStrings.privateEndpoint).toBeUndefined();
    sandbox.advance(240);
    const idle = await cluster();
    expect(idle.stateName).toBe('IDLE');
    const [entry, ...others] = idle.connectionStrings.privateEndpoint ?? [];
    expect(others).toEqual([]);
    expect(entry).toEqual({
      connectionString: expect.stringMatching(
        /^mongodb:\/\/pl-0-us-east-1\.([a-z0-9]{5})\.mongodb\.net:1024,pl-0-us-east-1\.\1\.mongodb\.net:1025,pl-0-us-east-1\.\1\.mongodb\.net:1026\/\?ssl=true&authSource=admin&replicaSet=atlas-[a-z0-9]{6}-shard-0$/,
      ),
      srvConnectionString: expect.stringMatching(/^mongodb\+srv:\/\/cluster0-pl-0\.[a-z0-9]{5}\.mongodb\.net$/),
      type: 'MONGOD',
      endpoints: [{ endpointId, providerName: 'AWS', region: 'US_EAST_1' }],
    });
  });

  it('list no strings for a cluster in a region without an endpoint, nor publish its names', async () => {
    const atlasSeed = seed.atlas;
    if (!atlasSeed) throw new Error('the default seed has an Atlas organization');
    const projects = atlasSeed.projects.map((p) => ({
      ...p,
      clusters: p.clusters.map((c) => (c.name === 'Orders' ? { ...c, region: 'us-west-2' as const } : c)),
    }));
    detach();
    sandbox = Sandbox.fromSeed({ ...seed, atlas: { ...atlasSeed, projects } });
    detach = sandbox.attach();
    atlas = atlasClient((url, init) => sandbox.atlasFetch(url, init), BASE);
    await registered();
    sandbox.advance(400);
    expect((await cluster('Orders')).connectionStrings.privateEndpoint).toBeUndefined();
    expect((await cluster('Cluster0')).connectionStrings.privateEndpoint).toHaveLength(1);
    expect(
      sandbox
        .inventory()
        .atlas.dnsRecords.map((r) => r.name)
        .filter((n) => n.startsWith('orders')),
    ).toEqual([]);
    expect(sandbox.inventory().atlas.dnsRecords).toHaveLength(3);
  });

  it('give a sharded cluster mongos strings and the shard-optimized SRV string', async () => {
    await registered();
    sandbox.advance(400);
    const sharded = await cluster('orders');
    expect(sharded.name).toBe('Orders');
    const entry = sharded.connectionStrings.privateEndpoint?.[0];
    expect(entry?.type).toBe('MONGOS');
    expect(entry?.connectionString).toMatch(
      /^mongodb:\/\/pl-0-us-east-1\.[a-z0-9]{5}\.mongodb\.net:1024,[^,]+:1025,[^,]+:1026\/\?ssl=true&authSource=admin$/,
    );
    expect(entry?.srvShardOptimizedConnectionString).toMatch(
      /^mongodb\+srv:\/\/orders-pl-0-lb\.[a-z0-9]{5}\.mongodb\.net$/,
    );
    const replica = await cluster('Cluster0');
    expect(replica.connectionStrings.privateEndpoint?.[0]?.connectionString).not.toBe(entry?.connectionString);
  });
});

describe('public DNS', () => {
  it('publishes the seedlist SRV and TXT and the pl- CNAME to our endpoint DNS name once the strings are out', async () => {
    const { endpointId } = await registered();
    sandbox.advance(121);
    expect(sandbox.inventory().atlas.dnsRecords).toEqual([]);
    sandbox.advance(240);
    const strings = (await cluster()).connectionStrings.privateEndpoint?.[0];
    const host = /^mongodb:\/\/([^:]+):1024/.exec(strings?.connectionString ?? '')?.[1] ?? '';
    const srvHost = (strings?.srvConnectionString ?? '').replace('mongodb+srv://', '');
    const replicaSet = /replicaSet=([^&]+)/.exec(strings?.connectionString ?? '')?.[1];
    const aws = await describeAwsEndpoint(endpointId);
    const dnsName = aws.DnsEntries?.[0]?.DnsName ?? '';
    const records = sandbox.inventory().atlas.dnsRecords;
    expect(records).toContainEqual({ name: host, type: 'CNAME', values: [dnsName] });
    expect(records).toContainEqual({
      name: `_mongodb._tcp.${srvHost}`,
      type: 'SRV',
      values: [`0 0 1024 ${host}`, `0 0 1025 ${host}`, `0 0 1026 ${host}`],
    });
    expect(records).toContainEqual({
      name: srvHost,
      type: 'TXT',
      values: [`"authSource=admin&replicaSet=${replicaSet}"`],
    });
    // Orders (sharded) in the same region: its pl- host, SRV, TXT, and the shard-optimized SRV and TXT.
    expect(records).toHaveLength(3 + 5);

    const dns = sandbox.publicDns();
    const ips = sandbox.inventory().endpoints.find((e) => e.endpointId === endpointId)?.privateIpAddresses;
    expect(ips).toHaveLength(2);
    expect(dns).toContainEqual({ name: dnsName, type: 'A', values: ips });
    expect(dns).toEqual(expect.arrayContaining(records));
  });
});

describe('faults', () => {
  it('answer the first COUNT calls with 429, Retry-After and the rate-limit body, then the organization', async () => {
    sandbox.addFault('atlas:getCluster:429:2');
    for (let i = 0; i < 2; i++) {
      const limited = await atlas.getCluster();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('10');
      expect(limited.body).toMatchObject({
        error: 429,
        errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
        reason: 'Too Many Requests',
      });
    }
    expect((await atlas.getCluster()).status).toBe(200);
    expect(sandbox.callCounts()['atlas:getCluster']).toBe(3);
  });

  it('answer a create with the ALREADY_EXISTS 409 and create nothing', async () => {
    sandbox.addFault('atlas:createEndpointService:409:1');
    const conflict = await atlas.createService('US_EAST_1');
    expect(conflict.body).toMatchObject({
      error: 409,
      errorCode: 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
    });
    expect((await atlas.api('GET', SERVICES)).body).toEqual([]);
    expect((await atlas.createService()).status).toBe(200);
  });

  it.each([
    ['getEndpointService', 404, 'RESOURCE_NOT_FOUND'],
    ['listEndpointServices', 500, 'UNEXPECTED_ERROR'],
    ['listEndpointServices', 503, 'SERVICE_UNAVAILABLE'],
    ['deleteEndpoint', 400, 'VALIDATION_ERROR'],
  ])('answer atlas:%s:%i with %s', async (operation, status, errorCode) => {
    sandbox.addFault(`atlas:${operation}:${status}`);
    const path =
      operation === 'deleteEndpoint'
        ? `${SERVICES}/${'a'.repeat(24)}/endpoint/vpce-0123456789abcdef0`
        : operation === 'getEndpointService'
          ? `${SERVICES}/${'a'.repeat(24)}`
          : SERVICES;
    const answer = await atlas.api(operation === 'deleteEndpoint' ? 'DELETE' : 'GET', path);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error: status, errorCode });
    expect(answer.headers.get('retry-after')).toBe(status === 503 ? '10' : null);
  });

  it('answer the token call too', async () => {
    sandbox.addFault('atlas:getToken:401');
    expect((await atlas.tokenAnswer()).body).toMatchObject({ error: 'invalid_client' });
    sandbox.clearFaults();
    expect((await atlas.tokenAnswer()).status).toBe(200);
  });

  it.each([
    ['atlas:getClusters:429', /Atlas has no operation getClusters.*getCluster, getToken/],
    ['atlas:getCluster:418', /418 is not a status Atlas documents.*429/],
    ['atlas:getCluster', /expected atlas:OPERATION:STATUS/],
    ['atlas:getCluster:429:0', /expected atlas:OPERATION:STATUS/],
    [
      'CreateVpcEndpoints:Throttling',
      /no operation CreateVpcEndpoints; EC2: .*CreateVpcEndpoint,.*Route 53: .*ChangeResourceRecordSets/,
    ],
    ['ChangeResourceRecordSet:Throttling:1', /no operation ChangeResourceRecordSet;/],
  ])('refuse %s, naming the valid ones', (spec, message) => {
    expect(() => sandbox.addFault(spec)).toThrow(message);
  });
});

describe('through the project Atlas adapter', () => {
  it('answers every call of the port the way the adapter reads Atlas', async () => {
    clearAtlasTokens();
    const port = atlasPortFromEnvironment();
    const created = await port.createEndpointService(PROJECT, 'us-east-1');
    await expect(port.createEndpointService(PROJECT, 'us-east-1')).rejects.toMatchObject({
      name: 'AtlasApiError',
      code: 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
    });
    sandbox.advance(180);
    const service = await port.getEndpointService(PROJECT, created.id);
    expect(service).toMatchObject({ status: 'WAITING_FOR_USER', interfaceEndpoints: [] });
    const endpointId = await createAwsEndpoint(service?.endpointServiceName ?? '');
    expect(await port.createEndpoint(PROJECT, created.id, endpointId)).toMatchObject({
      interfaceEndpointId: endpointId,
      connectionStatus: 'PENDING_ACCEPTANCE',
      deleteRequested: false,
    });
    sandbox.advance(361);
    expect(await port.getEndpoint(PROJECT, created.id, endpointId)).toMatchObject({ connectionStatus: 'AVAILABLE' });
    const clusterView = await port.getCluster(PROJECT, 'Cluster0');
    expect(clusterView).toMatchObject({ name: 'Cluster0', stateName: 'IDLE', clusterType: 'REPLICASET' });
    expect(clusterView.privateEndpoint.map((p) => p.endpoints[0]?.endpointId)).toEqual([endpointId]);
    const missing = await port.getCluster(PROJECT, 'Nope').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(AtlasApiError);
    expect(missing).toMatchObject({ code: 'CLUSTER_NAME_NOT_FOUND', status: 404 });
    await port.deleteEndpoint(PROJECT, created.id, endpointId);
    sandbox.advance(30);
    expect(await port.getEndpoint(PROJECT, created.id, endpointId)).toBeUndefined();
    expect(await port.getEndpointService(PROJECT, created.id)).toBeUndefined();
    await port.deleteEndpointService(PROJECT, created.id);
    expect(await port.listEndpointServices(PROJECT)).toEqual([]);
    clearAtlasTokens();
  });
});
