// The simulated Atlas organization served over real HTTP on 127.0.0.1 and driven with plain fetch: the
// whole private-endpoint flow as an Atlas-compatible server would answer it, status lines, headers and all.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atlasOperationOf } from '../../src/core/atlas/operations.ts';
import { atlasRoute, DEFAULT_SEED_PATH, loadSeed, Sandbox } from '../../src/core/sandbox/index.ts';
import {
  atlasClient,
  type ClusterView,
  CREATE_SERVICE,
  createAwsEndpoint,
  type EndpointView,
  PROJECT,
  SERVICES,
  type ServiceView,
} from './atlas-client.ts';

let sandbox: Sandbox;
let detach: () => void;
let server: Server;
let base: string;

function serve(target: Sandbox): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      target
        .atlasFetch(`http://127.0.0.1${req.url ?? '/'}`, { method, headers, ...(body && { body }) })
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
    });
  });
}

beforeEach(async () => {
  sandbox = Sandbox.fromSeed(await loadSeed(DEFAULT_SEED_PATH));
  detach = sandbox.attach();
  server = serve(sandbox);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  detach();
  server.close();
  await once(server, 'close');
});

describe('Atlas over HTTP', () => {
  it('runs the private-endpoint flow: service, AWS endpoint, registration, strings, deregistration', async () => {
    const atlas = atlasClient((url, init) => fetch(url, init), base);
    const created = await atlas.createService();
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    const { id } = created.body as ServiceView;
    expect((await atlas.createService()).status).toBe(409);
    sandbox.advance(180);
    const service = (await atlas.getService(id)).body as ServiceView;
    expect(service.status).toBe('WAITING_FOR_USER');

    const endpointId = await createAwsEndpoint(service.endpointServiceName ?? '');
    expect((await atlas.register(id, endpointId)).body).toMatchObject({ connectionStatus: 'PENDING_ACCEPTANCE' });
    sandbox.advance(121);
    expect(((await atlas.getEndpoint(id, endpointId)).body as EndpointView).connectionStatus).toBe('AVAILABLE');
    sandbox.advance(240);
    const cluster = (await atlas.getCluster()).body as ClusterView;
    expect(cluster.stateName).toBe('IDLE');
    expect(cluster.connectionStrings.privateEndpoint?.[0]?.endpoints).toEqual([
      { endpointId, providerName: 'AWS', region: 'US_EAST_1' },
    ]);

    const deleted = await atlas.deregister(id, endpointId);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    sandbox.advance(30);
    const gone = await atlas.getEndpoint(id, endpointId);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toBe('application/json');
    expect(gone.body).toMatchObject({ error: 404, errorCode: 'RESOURCE_NOT_FOUND', reason: 'Not Found' });
    expect((await atlas.getService(id)).status).toBe(404);
    expect(sandbox.callCounts()).toMatchObject({
      'atlas:getToken': 1,
      'atlas:createEndpointService': 2,
      'atlas:createEndpoint': 1,
      'atlas:getEndpoint': 2,
      'atlas:deleteEndpoint': 1,
      'atlas:getCluster': 1,
    });
  });

  it('sends a fault status line with Retry-After and refuses a request without a token', async () => {
    const atlas = atlasClient((url, init) => fetch(url, init), base);
    sandbox.addFault('atlas:listEndpointServices:503:1');
    const unavailable = await atlas.api('GET', SERVICES);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('10');
    expect(unavailable.body).toMatchObject({ error: 503, errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await atlas.api('GET', SERVICES)).body).toEqual([]);
    const anonymous = await fetch(`${base}${CREATE_SERVICE}`, {
      method: 'POST',
      headers: { Accept: 'application/vnd.atlas.2023-01-01+json' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('request names', () => {
  it.each([
    ['POST', '/api/oauth/token'],
    ['GET', SERVICES],
    ['POST', CREATE_SERVICE],
    ['GET', `${SERVICES}/${'a'.repeat(24)}`],
    ['DELETE', `${SERVICES}/${'a'.repeat(24)}`],
    ['POST', `${SERVICES}/${'a'.repeat(24)}/endpoint`],
    ['GET', `${SERVICES}/${'a'.repeat(24)}/endpoint/vpce-0123456789abcdef0`],
    ['DELETE', `${SERVICES}/${'a'.repeat(24)}/endpoint/vpce-0123456789abcdef0`],
    ['GET', `/api/atlas/v2/groups/${PROJECT}/clusters/Cluster0`],
    ['PATCH', SERVICES],
    ['GET', '/api/atlas/v2/orgs'],
  ])('names %s %s as the adapter does', (method, path) => {
    const route = atlasRoute(method, path);
    expect(route.kind === 'operation' ? route.operation : undefined).toBe(atlasOperationOf(method, path));
  });
});
