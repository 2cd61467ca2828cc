import { describe, expect, it } from 'vitest';
import { AtlasApiError } from '../../src/core/errors.ts';
import { callFixture, tokenFixture } from './fixtures.ts';
import { PROJECT, rejection, SERVICE, useFakeAtlas } from './setup.ts';

const h = useFakeAtlas();
const service = callFixture('getEndpointService').response;
const HOUR_MS = 3600_000;

describe('the token request', () => {
  it('is POST /api/oauth/token with Basic client credentials and a form body, as Atlas documents', async () => {
    const fixture = tokenFixture();
    h.atlas.replyToken(fixture.response);
    h.atlas.reply(service);

    await h.adapter().getEndpointService(PROJECT, SERVICE);

    const [token, api] = h.atlas.requests;
    expect(token?.method).toBe(fixture.request.method);
    expect(token?.path).toBe(fixture.request.path);
    expect(token?.query).toBe('');
    expect(token?.headers).toMatchObject(fixture.request.headers);
    expect(token?.body).toBe(fixture.request.body);
    expect(api?.headers.authorization).toBe('Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl');
  });
});

describe('token cache', () => {
  it('one token for many calls, in sequence and at once', async () => {
    const adapter = h.adapter();
    h.atlas.reply(service, service, service, service, service, service);
    await Promise.all([
      adapter.getEndpointService(PROJECT, SERVICE),
      adapter.getEndpointService(PROJECT, SERVICE),
      adapter.getEndpointService(PROJECT, SERVICE),
    ]);
    for (let i = 0; i < 3; i++) await adapter.getEndpointService(PROJECT, SERVICE);

    expect(h.atlas.tokenRequests()).toHaveLength(1);
    expect(h.atlas.apiRequests().map((r) => r.headers.authorization)).toEqual(Array(6).fill('Bearer token-1'));
  });

  it('is shared by adapters on the same base URL and client, not across clients', async () => {
    h.atlas.reply(service, service, service);
    await h.adapter().getEndpointService(PROJECT, SERVICE);
    await h.adapter().getEndpointService(PROJECT, SERVICE);
    const other = h.adapter({ credentials: async () => ({ clientId: 'mdb_sa_id_other', clientSecret: 's' }) });
    await other.getEndpointService(PROJECT, SERVICE);

    expect(h.atlas.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('asks again with a rotated secret', async () => {
    let secret = 'first';
    const adapter = h.adapter({ credentials: async () => ({ clientId: 'mdb_sa_id_x', clientSecret: secret }) });
    h.atlas.reply(service, service);
    await adapter.getEndpointService(PROJECT, SERVICE);
    secret = 'second';
    await adapter.getEndpointService(PROJECT, SERVICE);
    expect(h.atlas.tokenRequests()).toHaveLength(2);
  });

  it('renews five minutes before the hour is up, on the injected clock', async () => {
    const adapter = h.adapter();
    h.atlas.reply(service, service, service);
    const start = h.time.now;
    await adapter.getEndpointService(PROJECT, SERVICE);
    h.time.now = start + HOUR_MS - 300_001;
    await adapter.getEndpointService(PROJECT, SERVICE);
    h.time.now = start + HOUR_MS - 300_000;
    await adapter.getEndpointService(PROJECT, SERVICE);

    expect(h.atlas.tokenRequests()).toHaveLength(2);
    expect(h.atlas.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('follows a shorter expires_in (renewing a tenth early)', async () => {
    h.atlas.replyToken({ status: 200, body: { access_token: 'short', expires_in: 600, token_type: 'Bearer' } });
    const adapter = h.adapter();
    h.atlas.reply(service, service, service);
    const start = h.time.now;
    await adapter.getEndpointService(PROJECT, SERVICE);
    h.time.now = start + 539_000;
    await adapter.getEndpointService(PROJECT, SERVICE);
    h.time.now = start + 540_000;
    await adapter.getEndpointService(PROJECT, SERVICE);
    expect(h.atlas.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer short',
      'Bearer short',
      'Bearer token-1',
    ]);
  });

  it('does not keep a failed token request', async () => {
    h.atlas.replyToken({ status: 401, body: { error: 'invalid_client', error_description: 'bad client' } });
    h.atlas.reply(service);
    const adapter = h.adapter();
    await expect(adapter.getEndpointService(PROJECT, SERVICE)).rejects.toBeInstanceOf(AtlasApiError);
    await adapter.getEndpointService(PROJECT, SERVICE);
    expect(h.atlas.tokenRequests()).toHaveLength(2);
  });
});

describe('401 on an API call', () => {
  const unauthorized = { status: 401, body: { error: 401, errorCode: 'UNAUTHORIZED', detail: 'token expired' } };

  it('drops the token and retries the call once with a new one', async () => {
    h.atlas.reply(unauthorized, service);
    const result = await h.adapter().getEndpointService(PROJECT, SERVICE);

    expect(result?.id).toBe(SERVICE);
    expect(h.atlas.requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([
      'Basic',
      'Bearer',
      'Basic',
      'Bearer',
    ]);
    expect(h.atlas.apiRequests().map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a second 401 is Atlas refusing the account: AtlasApiError with its code', async () => {
    h.atlas.reply(unauthorized, unauthorized, service);
    const error = await rejection(h.adapter().getEndpointService(PROJECT, SERVICE));
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, operation: 'getEndpointService' });
    expect(h.atlas.apiRequests()).toHaveLength(2);
  });
});

describe('the token call refused', () => {
  it('an OAuth invalid_client is INVALID_CREDENTIALS, and no API call is made', async () => {
    h.atlas.replyToken({ status: 401, body: { error: 'invalid_client', error_description: 'Invalid client secret' } });
    const error = await rejection(h.adapter().getEndpointService(PROJECT, SERVICE));
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      operation: 'getToken',
      status: 401,
      message: 'INVALID_CREDENTIALS: Invalid client secret (atlas:getToken)',
    });
    expect(h.atlas.apiRequests()).toEqual([]);
  });

  it("Atlas's own errorCode wins when it gives one", async () => {
    h.atlas.replyToken({
      status: 401,
      body: { error: 401, errorCode: 'SERVICE_ACCOUNT_DISABLED', detail: 'disabled' },
    });
    await expect(h.adapter().getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      code: 'SERVICE_ACCOUNT_DISABLED',
      operation: 'getToken',
    });
  });

  it('a 401 without a body is still INVALID_CREDENTIALS', async () => {
    h.atlas.replyToken({ status: 401 });
    await expect(h.adapter().getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'INVALID_CREDENTIALS: HTTP 401 Unauthorized (atlas:getToken)',
    });
  });

  it('a 429 on the token call waits out Retry-After and asks again', async () => {
    h.atlas.replyToken({
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { error: 429, errorCode: 'RATE_LIMITED' },
    });
    h.atlas.reply(service);
    await h.adapter().getEndpointService(PROJECT, SERVICE);
    expect(h.sleeps).toEqual([2000]);
    expect(h.atlas.tokenRequests()).toHaveLength(2);
  });

  it('an answer without a usable access_token is refused', async () => {
    h.atlas.replyToken({ status: 200, body: { access_token: 'two\nlines', expires_in: 3600 } });
    await expect(h.adapter().getEndpointService(PROJECT, SERVICE)).rejects.toMatchObject({
      code: 'INVALID_TOKEN_RESPONSE',
    });
    expect(h.atlas.apiRequests()).toEqual([]);
  });
});
