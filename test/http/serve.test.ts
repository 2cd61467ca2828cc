// `privatelink serve` as a user drives it: the real node:http server on 127.0.0.1, the route handlers
// Lambda runs, and the local runner over a fresh sandbox, exercised with fetch.
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/core/app/environment.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { example } from '../support/cli.ts';
import { type Served, startServe } from '../support/serve.ts';

let served: Served;
let env: Environment;
let call: Served['call'];
let until: Served['until'];

beforeAll(async () => {
  served = await startServe();
  ({ env, call, until } = served);
});

afterAll(async () => {
  await served?.close();
});

/** The orders example under another id and host (one request owns each hostname's records). */
async function ordersRequest(requestId: string): Promise<Record<string, unknown>> {
  const orders = await example('orders-nlb-tcp.json');
  return { ...orders, requestId, target: { ...(orders.target as object), host: `${requestId}.internal.example.com` } };
}

describe('privatelink serve', () => {
  it('creates, dedupes, reports progress until READY, lists, and tears down to an empty account', async () => {
    const request = await example('atlas-replica-set.json');
    const created = await call('POST', '/endpoints', request);
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ requestId: 'cluster0-app-prod', status: 'PROVISIONING' });
    expect(created.headers.get('location')).toBe('/endpoints/cluster0-app-prod');

    const repeated = await call('POST', '/endpoints', request);
    expect([200, 202]).toContain(repeated.status);
    expect(repeated.body.requestId).toBe('cluster0-app-prod');

    const ready = (await until('cluster0-app-prod', ['READY', 'FAILED'])) as ProvisionResult & { seen: string[] };
    expect(ready.status, JSON.stringify(ready.error)).toBe('READY');
    expect(ready.seen[0]).toBe('PROVISIONING');
    expect(ready.connectionStrings?.srv).toBe('mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/');
    expect(env.sandbox?.inventory().endpoints).toHaveLength(1);

    const again = await call('POST', '/endpoints', request);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ requestId: 'cluster0-app-prod', status: 'READY' });
    expect(env.sandbox?.inventory().endpoints).toHaveLength(1);

    const list = await call('GET', '/endpoints?limit=10');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: ProvisionResult) => [r.requestId, r.status])).toEqual([
      ['cluster0-app-prod', 'READY'],
    ]);
    expect(list.body.next).toBeUndefined();

    const deleting = await call('DELETE', '/endpoints/cluster0-app-prod');
    expect(deleting.status).toBe(202);
    expect(deleting.body.requestId).toBe('cluster0-app-prod');
    const deleted = await until('cluster0-app-prod', ['DELETED', 'FAILED']);
    expect(deleted.status).toBe('DELETED');
    const inventory = env.sandbox?.inventory();
    expect(inventory?.endpoints.filter((e) => e.state !== 'deleted')).toEqual([]);
    expect(inventory?.hostedZones).toEqual([]);
  });

  it('answers 404 for an unknown request and route, and on DELETE of an unknown request', async () => {
    expect((await call('GET', '/endpoints/no-such-request')).status).toBe(404);
    expect((await call('DELETE', '/endpoints/no-such-request')).status).toBe(404);
    expect((await call('GET', '/nowhere')).status).toBe(404);
  });

  it('names the field in a 400 and creates nothing', async () => {
    const request = await example('atlas-replica-set.json');
    const bad = {
      ...request,
      requestId: 'bad-one',
      consumer: { ...(request.consumer as object), subnetIds: 'subnet-1' },
    };
    const response = await call('POST', '/endpoints', bad);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('InvalidRequest');
    expect(response.body.error.issues).toContainEqual(expect.objectContaining({ path: 'consumer.subnetIds' }));
    expect((await call('GET', '/endpoints/bad-one')).status).toBe(404);
  });

  it('refuses another body under a used id (409), non-JSON (415), big bodies (413) and bad JSON (400)', async () => {
    const request = await ordersRequest('conflict-1');
    const first = await call('POST', '/endpoints', request);
    expect(first.status).toBe(202);
    const other = await call('POST', '/endpoints', { ...request, tags: { team: 'other' } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('RequestIdConflict');
    await until('conflict-1', ['READY', 'FAILED']);

    const text = await call('POST', '/endpoints', undefined, { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const big = await call('POST', '/endpoints', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    const broken = await call('POST', '/endpoints', '{"region": ');
    expect(broken.status).toBe(400);
  });

  it('takes the Idempotency-Key header as the request id', async () => {
    const { requestId: _, ...request } = await ordersRequest('key-abc-1');
    const first = await call('POST', '/endpoints', request, { 'idempotency-key': 'key-abc-1' });
    expect(first.status).toBe(202);
    expect(first.body.requestId).toBe('key-abc-1');
    const second = await call('POST', '/endpoints', request, { 'idempotency-key': 'key-abc-1' });
    expect(second.body.requestId).toBe('key-abc-1');
    const done = await until('key-abc-1', ['READY', 'FAILED']);
    expect(done.status, JSON.stringify(done.error)).toBe('READY');
  });

  it('answers 409 to finalize when nothing waits', async () => {
    const response = await call('POST', '/endpoints/key-abc-1/finalize', { endpointId: 'vpce-0123456789abcdef0' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('NotWaitingForConsumer');
  });

  it('waits for an external consumer, resumes on finalize, accepts its endpoint and ends READY', async () => {
    const orders = await example('orders-nlb-tcp.json');
    const request = {
      ...orders,
      requestId: 'orders-partner',
      consumer: { external: { accountId: env.sandbox?.accountId } },
    };
    expect((await call('POST', '/endpoints', request)).status).toBe(202);
    const waiting = await until('orders-partner', ['WAITING_FOR_CONSUMER', 'FAILED', 'READY']);
    expect(waiting.status, JSON.stringify(waiting.error)).toBe('WAITING_FOR_CONSUMER');
    expect(waiting.service?.serviceName).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);

    // The other party creates its endpoint to our service and reports the id.
    const created = await ec2Client('us-east-1').send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: 'vpc-0a1b2c3d4e5f67890',
        ServiceName: waiting.service?.serviceName,
        SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
      }),
    );
    const endpointId = created.VpcEndpoint?.VpcEndpointId ?? '';
    expect((await call('POST', '/endpoints/orders-partner/finalize', { endpointId: 'vpce-x' })).status).toBe(400);
    // A mistyped id (no such endpoint to our service) is refused, and the request goes on waiting.
    const mistyped = await call('POST', '/endpoints/orders-partner/finalize', { endpointId: 'vpce-0123456789abcdef0' });
    expect(mistyped.status).toBe(409);
    expect(mistyped.body.error).toMatchObject({
      code: 'ConsumerEndpointNotFound',
      endpointId: 'vpce-0123456789abcdef0',
      status: 'WAITING_FOR_CONSUMER',
    });
    expect(mistyped.body.error.message).toContain('goes on waiting');
    expect((await call('GET', '/endpoints/orders-partner')).body.status).toBe('WAITING_FOR_CONSUMER');
    const finalized = await call('POST', '/endpoints/orders-partner/finalize', { endpointId });
    expect(finalized.status).toBe(202);
    const ready = await until('orders-partner', ['READY', 'FAILED']);
    expect(ready.status, JSON.stringify(ready.error)).toBe('READY');
    expect(ready.endpoint?.endpointId).toBe(endpointId);
    expect(ready.endpoint?.state).toBe('available');
    expect(ready.connectionStrings).toEqual({ url: 'postgresql://orders-db.internal.example.com:5432' });
    expect((await call('POST', '/endpoints/orders-partner/finalize', { endpointId })).status).toBe(409);
  });
});
