import { describe, expect, it } from 'vitest';
import { atlasOperationOf } from '../../src/core/atlas/operations.ts';
import { PreconditionError } from '../../src/core/errors.ts';
import type { AtlasPort } from '../../src/core/ports.ts';
import { callFixture } from './fixtures.ts';
import { PROJECT, rejection, SERVICE, useFakeAtlas, VPCE } from './setup.ts';

const h = useFakeAtlas();

type Method = keyof AtlasPort;
const invoke = (adapter: AtlasPort, method: Method, args: string[]) =>
  (adapter[method] as (...a: string[]) => Promise<unknown>)(...args);

const OPERATIONS: Method[] = [
  'createEndpointService',
  'listEndpointServices',
  'getEndpointService',
  'deleteEndpointService',
  'createEndpoint',
  'getEndpoint',
  'deleteEndpoint',
  'getCluster',
];

describe('every call, exactly as the Atlas reference documents it', () => {
  for (const operation of OPERATIONS) {
    it(`${operation}: method, path, query, headers and body; the answer mapped`, async () => {
      const fixture = callFixture(operation);
      h.atlas.reply(fixture.response);

      const result = await invoke(h.adapter(), operation, fixture.call);

      const [sent, ...more] = h.atlas.apiRequests();
      expect(more).toEqual([]);
      expect(sent?.method).toBe(fixture.request.method);
      expect(sent?.path).toBe(fixture.request.path);
      expect(sent?.query).toBe('');
      expect(sent?.headers.accept).toBe(fixture.request.accept);
      expect(sent?.headers['content-type']).toBe(fixture.request.contentType);
      expect(sent?.headers.authorization).toBe('Bearer token-1');
      expect(sent?.headers['user-agent']).toMatch(/^privatelink-automation/);
      if (fixture.request.body === undefined) expect(sent?.body).toBe('');
      else expect(JSON.parse(sent?.body ?? '')).toEqual(fixture.request.body);
      expect(result).toEqual(fixture.result);
    });
  }

  it(`${OPERATIONS.length} fixtures' requests are named by atlasOperationOf`, () => {
    for (const operation of OPERATIONS) {
      const { method, path } = callFixture(operation).request;
      expect(atlasOperationOf(method, path)).toBe(operation);
    }
    expect(atlasOperationOf('POST', '/api/oauth/token')).toBe('getToken');
    expect(
      atlasOperationOf('PATCH', `/api/atlas/v2/groups/${PROJECT}/privateEndpoint/endpointService/${SERVICE}`),
    ).toBe(undefined);
    expect(atlasOperationOf('GET', `/api/atlas/v2/groups/${PROJECT}/clusters`)).toBe(undefined);
  });

  it('sends the exact JSON text Atlas documents for a new endpoint service', async () => {
    h.atlas.reply(callFixture('createEndpointService').response);
    await h.adapter().createEndpointService(PROJECT, 'eu-west-1');
    expect(h.atlas.apiRequests()[0]?.body).toBe('{"providerName":"AWS","region":"EU_WEST_1"}');
  });

  it('tolerates a trailing slash on the base URL', async () => {
    h.atlas.reply(callFixture('getEndpointService').response);
    await h.adapter({ baseUrl: `${h.atlas.baseUrl}/` }).getEndpointService(PROJECT, SERVICE);
    expect(h.atlas.requests.map((r) => r.path)).toEqual([
      '/api/oauth/token',
      `/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService/${SERVICE}`,
    ]);
  });

  it('defaults the base URL to ATLAS_BASE_URL', async () => {
    const previous = process.env.ATLAS_BASE_URL;
    process.env.ATLAS_BASE_URL = h.atlas.baseUrl;
    try {
      h.atlas.reply({ status: 200, body: [] });
      const adapter = h.adapter({ baseUrl: undefined });
      expect(await adapter.listEndpointServices(PROJECT)).toEqual([]);
      expect(h.atlas.apiRequests()).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.ATLAS_BASE_URL;
      else process.env.ATLAS_BASE_URL = previous;
    }
  });
});

describe('404', () => {
  const notFound = { status: 404, body: { error: 404, errorCode: 'RESOURCE_NOT_FOUND', detail: 'gone' } };

  it('get* answer undefined', async () => {
    h.atlas.reply(notFound, notFound);
    const adapter = h.adapter();
    expect(await adapter.getEndpointService(PROJECT, SERVICE)).toBeUndefined();
    expect(await adapter.getEndpoint(PROJECT, SERVICE, VPCE)).toBeUndefined();
  });

  it('delete* succeed: the service goes with its last endpoint (SPEC L62316)', async () => {
    h.atlas.reply(notFound, notFound);
    const adapter = h.adapter();
    await expect(adapter.deleteEndpoint(PROJECT, SERVICE, VPCE)).resolves.toBeUndefined();
    await expect(adapter.deleteEndpointService(PROJECT, SERVICE)).resolves.toBeUndefined();
    expect(h.atlas.apiRequests().map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('getCluster and listEndpointServices report it with Atlas code', async () => {
    h.atlas.reply(notFound, notFound);
    const adapter = h.adapter();
    await expect(adapter.getCluster(PROJECT, 'Cluster0')).rejects.toMatchObject({
      name: 'AtlasApiError',
      code: 'RESOURCE_NOT_FOUND',
      status: 404,
      operation: 'getCluster',
    });
    await expect(adapter.listEndpointServices(PROJECT)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });
});

describe('ids are checked before any URL is built', () => {
  const cases: [Method, string[]][] = [
    ['listEndpointServices', ['../../orgs']],
    ['listEndpointServices', ['6123456789ABCDEF01234567']],
    ['createEndpointService', [PROJECT, 'us-east-1/../x']],
    ['getEndpointService', [PROJECT, 'Cluster0']],
    ['deleteEndpointService', [PROJECT, `${SERVICE}?x=1`]],
    ['createEndpoint', [PROJECT, SERVICE, 'vpce-0df793f9c89c24a3']],
    ['getEndpoint', [PROJECT, SERVICE, '%2Fsubscriptions%2Fx']],
    ['deleteEndpoint', [PROJECT, SERVICE, `${VPCE}/..`]],
    ['getCluster', [PROJECT, 'Cluster0/../../x']],
  ];
  for (const [method, args] of cases) {
    it(`${method}(${args.join(', ')}) is refused without a request`, async () => {
      const error = await rejection(invoke(h.adapter(), method, args));
      expect(error).toBeInstanceOf(PreconditionError);
      expect(error).toMatchObject({ code: 'InvalidAtlasId' });
      expect(h.atlas.requests).toEqual([]);
    });
  }
});

describe('answers mapped to the port', () => {
  it('omits null and absent fields and keeps vpce ids in interfaceEndpoints (not 24 hex)', async () => {
    h.atlas.reply({
      status: 200,
      body: {
        cloudProvider: 'AWS',
        id: SERVICE,
        regionName: 'US_EAST_1',
        status: 'AVAILABLE',
        interfaceEndpoints: [VPCE],
      },
    });
    expect(await h.adapter().getEndpointService(PROJECT, SERVICE)).toEqual({
      id: SERVICE,
      regionName: 'US_EAST_1',
      status: 'AVAILABLE',
      interfaceEndpoints: [VPCE],
    });
  });

  it('a cluster without connectionStrings.privateEndpoint has none', async () => {
    h.atlas.reply({
      status: 200,
      body: {
        name: 'Cluster0',
        stateName: 'UPDATING',
        clusterType: 'SHARDED',
        connectionStrings: { standardSrv: 'x' },
      },
    });
    expect(await h.adapter().getCluster(PROJECT, 'Cluster0')).toEqual({
      name: 'Cluster0',
      stateName: 'UPDATING',
      clusterType: 'SHARDED',
      privateEndpoint: [],
    });
  });

  it('a sharded cluster keeps srvShardOptimizedConnectionString', async () => {
    const entry = {
      srvConnectionString: 'mongodb+srv://cluster1-pl-0.k45tj.mongodb.net',
      srvShardOptimizedConnectionString: 'mongodb+srv://cluster1-pl-0-lb.k45tj.mongodb.net',
      connectionString: null,
      type: 'MONGOS',
      endpoints: [{ endpointId: VPCE, providerName: 'AWS', region: 'US_EAST_1' }],
    };
    h.atlas.reply({
      status: 200,
      body: {
        name: 'Cluster1',
        stateName: 'IDLE',
        clusterType: 'SHARDED',
        connectionStrings: { privateEndpoint: [entry] },
      },
    });
    const cluster = await h.adapter().getCluster(PROJECT, 'Cluster1');
    expect(cluster.privateEndpoint).toEqual([
      {
        srvConnectionString: entry.srvConnectionString,
        srvShardOptimizedConnectionString: entry.srvShardOptimizedConnectionString,
        type: 'MONGOS',
        endpoints: entry.endpoints,
      },
    ]);
  });

  it('refuses an answer without what the port needs', async () => {
    h.atlas.reply(
      { status: 200, body: { id: SERVICE, regionName: 'US_EAST_1', status: 'SOMETHING_NEW', interfaceEndpoints: [] } },
      { status: 200, body: { results: [] } },
      { status: 200, body: 'not json', contentType: 'application/json' },
    );
    const adapter = h.adapter();
    await expect(adapter.getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      name: 'AtlasApiError',
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('SOMETHING_NEW'),
    });
    await expect(adapter.listEndpointServices(PROJECT)).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
    await expect(adapter.getEndpoint(PROJECT, SERVICE, VPCE)).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
