import { describe, expect, it } from 'vitest';
import { ATLAS_OPERATIONS, isAtlasOperation } from '../../src/core/atlas/operations.ts';
import { AtlasApiError, TransientAtlasError } from '../../src/core/errors.ts';
import type { AtlasPort } from '../../src/core/ports.ts';
import { callFixture, errorFixtures, errorReply } from './fixtures.ts';
import { startFakeAtlas } from './server.ts';
import { PROJECT, rejection, SERVICE, useFakeAtlas, VPCE } from './setup.ts';

const h = useFakeAtlas();
const cluster = callFixture('getCluster').response;

describe('each documented error body, translated', () => {
  for (const fixture of errorFixtures()) {
    it(`${fixture.name} → ${fixture.expect.class} ${fixture.expect.code}`, async () => {
      // A 401 is first taken for an expired token: the call is made again with a new one.
      const replies = fixture.status === 401 ? [errorReply(fixture), errorReply(fixture)] : [errorReply(fixture)];
      h.atlas.reply(...replies);

      const error = await rejection(h.adapter({ retries: 0 }).getCluster(PROJECT, 'Cluster0'));

      const expected = fixture.expect.class === 'AtlasApiError' ? AtlasApiError : TransientAtlasError;
      expect(error).toBeInstanceOf(expected);
      expect(error).toMatchObject({
        name: fixture.expect.class,
        code: fixture.expect.code,
        operation: 'getCluster',
        message: `${fixture.expect.code}: ${fixture.expect.detail} (atlas:getCluster)`,
      });
      if (error instanceof AtlasApiError) expect(error.status).toBe(fixture.status);
      if (error instanceof TransientAtlasError) expect(error.retryAfterSeconds).toBe(fixture.expect.retryAfterSeconds);
      expect(h.atlas.apiRequests()).toHaveLength(replies.length);
      expect(h.sleeps).toEqual([]);
    });
  }
});

describe('errors name the Atlas operation', () => {
  const conflict = errorFixtures().find((f) => f.status === 409);
  const calls: [string, (a: AtlasPort) => Promise<unknown>][] = [
    ['listEndpointServices', (a) => a.listEndpointServices(PROJECT)],
    ['createEndpointService', (a) => a.createEndpointService(PROJECT, 'us-east-1')],
    ['getEndpointService', (a) => a.getEndpointService(PROJECT, SERVICE)],
    ['deleteEndpointService', (a) => a.deleteEndpointService(PROJECT, SERVICE)],
    ['createEndpoint', (a) => a.createEndpoint(PROJECT, SERVICE, VPCE)],
    ['getEndpoint', (a) => a.getEndpoint(PROJECT, SERVICE, VPCE)],
    ['deleteEndpoint', (a) => a.deleteEndpoint(PROJECT, SERVICE, VPCE)],
    ['getCluster', (a) => a.getCluster(PROJECT, 'Cluster0')],
  ];
  for (const [operation, call] of calls) {
    it(operation, async () => {
      if (!conflict) throw new Error('errors.json has no 409');
      h.atlas.reply(errorReply(conflict));
      await expect(call(h.adapter())).rejects.toMatchObject({ operation, status: 409 });
    });
  }

  it('ATLAS_OPERATIONS lists every one of them and the token call', () => {
    expect([...ATLAS_OPERATIONS].sort()).toEqual([...calls.map(([name]) => name), 'getToken'].sort());
    expect(isAtlasOperation('getCluster')).toBe(true);
    expect(isAtlasOperation('getClusters')).toBe(false);
  });
});

describe('Retry-After and in-call retries', () => {
  const limited = (seconds: string) => ({
    status: 429,
    headers: { 'Retry-After': seconds },
    body: { error: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET', detail: 'Rate limit exceeded' },
  });
  const unavailable = { status: 503, headers: { 'Retry-After': '5' }, body: { errorCode: 'SERVICE_UNAVAILABLE' } };
  const failing = { status: 500, body: { error: 500, errorCode: 'UNEXPECTED_ERROR', detail: 'Unexpected error.' } };

  it('waits the Retry-After Atlas asks for, then the call succeeds', async () => {
    h.atlas.reply(limited('55'), cluster);
    const result = await h.adapter().getCluster(PROJECT, 'Cluster0');
    expect(result.name).toBe('Cluster0');
    expect(h.sleeps).toEqual([55_000]);
    expect(h.atlas.apiRequests()).toHaveLength(2);
  });

  it('honours Retry-After on 503 too, for each retry', async () => {
    h.atlas.reply(unavailable, unavailable, cluster);
    await h.adapter().getCluster(PROJECT, 'Cluster0');
    expect(h.sleeps).toEqual([5000, 5000]);
  });

  it('backs off 1 s, 2 s without Retry-After, then reports the transient error', async () => {
    h.atlas.reply(failing, failing, failing, cluster);
    const error = await rejection(h.adapter().getCluster(PROJECT, 'Cluster0'));
    expect(error).toBeInstanceOf(TransientAtlasError);
    expect(error).toMatchObject({ code: 'UNEXPECTED_ERROR', operation: 'getCluster' });
    expect(h.sleeps).toEqual([1000, 2000]);
    expect(h.atlas.apiRequests()).toHaveLength(3);
  });

  it('leaves a Retry-After longer than maxRetryAfterSeconds to the state machine', async () => {
    h.atlas.reply(limited('120'), cluster);
    const error = await rejection(h.adapter().getCluster(PROJECT, 'Cluster0'));
    expect(error).toBeInstanceOf(TransientAtlasError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED_TOKEN_BUCKET', retryAfterSeconds: 120 });
    expect(h.sleeps).toEqual([]);
    expect(h.atlas.apiRequests()).toHaveLength(1);
  });

  it('waits longer when maxRetryAfterSeconds allows it', async () => {
    h.atlas.reply(limited('120'), cluster);
    await h.adapter({ maxRetryAfterSeconds: 300 }).getCluster(PROJECT, 'Cluster0');
    expect(h.sleeps).toEqual([120_000]);
  });

  it('reads a Retry-After date against the injected clock', async () => {
    h.atlas.reply(limited(new Date(h.time.now + 30_000).toUTCString()), cluster);
    await h.adapter().getCluster(PROJECT, 'Cluster0');
    expect(h.sleeps).toEqual([30_000]);
  });

  it('retries a POST on 503 with the same body', async () => {
    h.atlas.reply(unavailable, callFixture('createEndpointService').response);
    await h.adapter().createEndpointService(PROJECT, 'us-east-1');
    const bodies = h.atlas.apiRequests().map((r) => r.body);
    expect(bodies).toEqual([
      '{"providerName":"AWS","region":"US_EAST_1"}',
      '{"providerName":"AWS","region":"US_EAST_1"}',
    ]);
  });
});

describe('failures below HTTP', () => {
  it('a dropped connection is retried, then reported as transient', async () => {
    h.atlas.reply({ status: 0, destroy: true }, { status: 0, destroy: true }, { status: 0, destroy: true });
    const error = await rejection(h.adapter().getEndpointService(PROJECT, SERVICE));
    expect(error).toBeInstanceOf(TransientAtlasError);
    expect(error).toMatchObject({ operation: 'getEndpointService' });
    expect(error).toMatchObject({
      code: 'UND_ERR_SOCKET',
      message:
        'UND_ERR_SOCKET: request failed before Atlas answered: fetch failed (other side closed) (atlas:getEndpointService)',
    });
    expect(h.sleeps).toEqual([1000, 2000]);
    expect(h.atlas.apiRequests()).toHaveLength(3);
  });

  it('a dropped connection then an answer succeeds', async () => {
    h.atlas.reply({ status: 0, destroy: true }, callFixture('getEndpointService').response);
    expect((await h.adapter().getEndpointService(PROJECT, SERVICE))?.id).toBe(SERVICE);
  });

  it('nothing listening: the token call fails as transient ECONNREFUSED', async () => {
    const closed = await startFakeAtlas();
    await closed.close();
    const adapter = h.adapter({ baseUrl: closed.baseUrl, retries: 0 });
    await expect(adapter.getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      name: 'TransientAtlasError',
      code: 'ECONNREFUSED',
      operation: 'getToken',
    });
  });

  it('a timed-out request is transient TIMEOUT, retried like the others', async () => {
    let calls = 0;
    const adapter = h.adapter({
      fetch: async () => {
        calls++;
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
    });
    await expect(adapter.getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      name: 'TransientAtlasError',
      code: 'TIMEOUT',
      operation: 'getToken',
    });
    expect(calls).toBe(3);
    expect(h.sleeps).toEqual([1000, 2000]);
  });

  it('a throw that is not a network failure is not retried', async () => {
    let calls = 0;
    const adapter = h.adapter({
      fetch: async () => {
        calls++;
        throw new RangeError('a bug');
      },
    });
    await expect(adapter.getEndpointService(PROJECT, SERVICE)).rejects.toBeInstanceOf(RangeError);
    expect(calls).toBe(1);
  });
});
