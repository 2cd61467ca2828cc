// The HTTP and Slack Lambdas as Lambda runs them (an API Gateway HTTP API v2 event and a context): through
// the shared middy stack, Powertools parser and logger. A malformed event is a 500 that carries only a
// correlation id; the log line has that id, API Gateway's request id and the failing fields, not their values.
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSlackCommandHandler } from '../../functions/slack-command.ts';
import type { HttpEvent, HttpResponse } from '../../src/core/app/http-event.ts';
import type { SlackDeps } from '../../src/slack/commands.ts';
import { slackSignature } from '../../src/slack/signature.ts';

const { handler: httpApi } = await import('../../functions/http-api.ts');

const API_REQUEST_ID = 'JKJaXmPLvHcESHA=';
const SECRET = 'lambda-test-signing-secret';

/** An HTTP API payload v2 event as API Gateway sends it (the shape of AWS's documented example). */
function apiEvent(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'curl/8.5.0', ...headers },
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'curl/8.5.0' },
      requestId: API_REQUEST_ID,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '23/Nov/2026:18:30:00 +0000',
      timeEpoch: 1795458600000,
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: false,
  };
}

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'privatelink-automation-dev-httpApi',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:privatelink-automation-dev-httpApi',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/privatelink-automation-dev-httpApi',
  logStreamName: '2026/11/23/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} satisfies Context;

let logLines: Record<string, unknown>[];
beforeEach(() => {
  logLines = [];
  // Powertools logger writes each line to the process's stdout or stderr (ERROR) as JSON.
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.stubEnv('PROVISION_STATE_MACHINE_ARN', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const bodyOf = (response: HttpResponse) => JSON.parse(response.body) as { error?: Record<string, unknown> };

describe('the httpApi Lambda', () => {
  it('answers a parsed v2 event: a 400 naming the field, nothing logged', async () => {
    const response = await httpApi(apiEvent('GET', '/endpoints/not%20an%20id') as HttpEvent, context);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatchObject({ code: 'InvalidRequest', issues: [{ path: 'requestId' }] });
    expect(logLines).toEqual([]);
  });

  it('serves the status page at GET /, polling every 5 s (STATUS_PAGE_POLL_MS), with its CSP', async () => {
    const page = await httpApi(apiEvent('GET', '/') as HttpEvent, context);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'sha256-/);
    expect(page.body).toContain('data-poll-ms="5000"');
    vi.stubEnv('STATUS_PAGE_POLL_MS', '2000');
    expect((await httpApi(apiEvent('GET', '/') as HttpEvent, context)).body).toContain('data-poll-ms="2000"');
    vi.stubEnv('STATUS_PAGE_POLL_MS', '10');
    expect((await httpApi(apiEvent('GET', '/') as HttpEvent, context)).body).toContain('data-poll-ms="5000"');
    expect(logLines).toEqual([]);
  });

  it('a configuration error is a 500 with a correlation id; the log has it, the cause and the request ids', async () => {
    const event = apiEvent('POST', '/endpoints', JSON.stringify({ requestId: 'r1' }), {
      'content-type': 'application/json',
    });
    // Not a valid request: answered 400 before any workflow is needed.
    expect((await httpApi(event as HttpEvent, context)).statusCode).toBe(400);
    const response = await httpApi(apiEvent('GET', '/endpoints/r1') as HttpEvent, context);
    expect(response.statusCode).toBe(500);
    const error = bodyOf(response).error;
    expect(error).toEqual({ code: 'InternalError', message: 'internal error', correlationId: expect.any(String) });
    expect(response.body).not.toContain('PROVISION_STATE_MACHINE_ARN');
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatchObject({
      level: 'ERROR',
      correlationId: error?.correlationId,
      correlation_id: API_REQUEST_ID,
      function_request_id: context.awsRequestId,
      error: { message: 'the PROVISION_STATE_MACHINE_ARN environment variable is not set' },
    });
  });

  it.each([
    ['a payload 1.0 event', { httpMethod: 'GET', path: '/endpoints', headers: {}, requestContext: {} }],
    ['no event', null],
    [
      'a method API Gateway never sends',
      { ...apiEvent('GET', '/endpoints'), requestContext: { http: { method: 'BREW' } } },
    ],
  ])('%s is a 500 with a correlation id and nothing of the event', async (_name, event) => {
    const response = await httpApi(event as unknown as HttpEvent, context);
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({
      error: { code: 'InternalError', message: 'internal error', correlationId: expect.any(String) },
    });
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatchObject({
      level: 'ERROR',
      correlationId: bodyOf(response).error?.correlationId,
      error: { name: 'HttpEventParseError' },
    });
    expect(JSON.stringify(logLines[0])).not.toContain('BREW');
  });

  it('names the fields that did not parse in the log', async () => {
    const { rawQueryString: _, ...event } = apiEvent('GET', '/endpoints');
    await httpApi(event as unknown as HttpEvent, context);
    expect((logLines[0]?.error as { message?: string } | undefined)?.message).toContain('rawQueryString');
  });
});

describe('the slackCommand Lambda', () => {
  const deps: SlackDeps = {
    signingSecret: async () => SECRET,
    profiles: {},
    post: async () => {},
    workflows: {
      getResult: async (requestId) => ({ requestId, status: 'READY', connectionStrings: { url: 'https://x' } }),
      startProvision: async () => {
        throw new Error('unused');
      },
      listResults: async () => ({ items: [] }),
      startTeardown: async () => undefined,
      finalize: async () => {},
    },
  };
  const slack = buildSlackCommandHandler(deps);

  function signed(text: string, timestamp = String(Math.floor(Date.now() / 1000))) {
    const body = new URLSearchParams({
      command: '/privatelink',
      text,
      response_url: 'https://hooks.slack.com/commands/T1/2/lambda',
    }).toString();
    return apiEvent('POST', '/slack/commands', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(SECRET, timestamp, body),
    });
  }

  it('acknowledges a signed command through the stack, and with the event alone', async () => {
    // Two different commands: the same signed request twice would be a replay (answered once).
    for (const response of [
      await slack(signed('status r1') as HttpEvent, context),
      await slack(signed('status r2') as HttpEvent),
    ]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('https://x');
    }
  });

  it('refuses a stale signature with 401, and a malformed event with a bare 500', async () => {
    expect((await slack(signed('status r1', '1531420618') as HttpEvent, context)).statusCode).toBe(401);
    const malformed = { ...signed('status r1'), headers: 'x-slack-signature' };
    const response = await slack(malformed as unknown as HttpEvent, context);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/signature|headers|zod|at /i);
  });
});
