// docs/openapi.json stays true: the real route handlers (handleHttp and the Slack command over the local
// runner on a fresh sandbox) are driven through every status the document gives each operation, and each
// answer is checked against it (status documented, content type, required headers, body schema). The
// reverse too: every documented operation is handled, and every method it does not document gets 405.
import { readdirSync, readFileSync } from 'node:fs';
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localHttpHandler } from '../../src/cli/serve-app.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import type { HttpEvent, HttpResponse } from '../../src/core/app/http-event.ts';
import { type WorkflowPort, WorkflowsBusyError } from '../../src/core/app/workflow-port.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { ConsumerEndpointRefusedError, RequestBusyError } from '../../src/core/errors.ts';
import { type LocalWorkflows, localWorkflows } from '../../src/http/local-workflows.ts';
import { handleHttp } from '../../src/http/routes.ts';
import { handleSlackCommand } from '../../src/slack/commands.ts';
import { SLACK_PROFILES } from '../../src/slack/profiles.ts';
import { slackSignature } from '../../src/slack/signature.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';
import { resolveRef, type Schema, validate } from '../support/json-schema.ts';

type Json = Record<string, unknown>;
const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Json;
const paths = doc.paths as Record<string, Record<string, Json>>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const SECRET = 'openapi-test-signing-secret';

const deref = (node: unknown): Json => {
  const ref = (node as Json | undefined)?.$ref;
  return (typeof ref === 'string' ? resolveRef(doc, ref) : node) as Json;
};
const operations = Object.entries(paths).flatMap(([template, item]) =>
  METHODS.filter((m) => m in item).map((method) => ({ template, method, operation: item[method] as Json })),
);
/** The documented template a concrete path falls under, or undefined. */
function templateOf(path: string): string | undefined {
  return Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

let sandbox: SandboxDir;
let env: Environment;
let workflows: LocalWorkflows;
/** When set, the next workflow call throws it (a 500 or a 503 as Step Functions would cause). */
let fault: Error | undefined;
/** When set, the next finalize refuses the endpoint with it (as the hand-off's check does). */
let refusal: ConsumerEndpointRefusedError | undefined;
let secretFault = false;
const observed = new Set<string>();

function faulty(port: WorkflowPort): WorkflowPort {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      const error = fault;
      fault = undefined;
      if (error) throw error;
      return call(...args);
    };
  return {
    startProvision: guard((r) => port.startProvision(r)),
    getResult: guard((id) => port.getResult(id)),
    listResults: guard((p) => port.listResults(p)),
    startTeardown: guard((id) => port.startTeardown(id)),
    finalize: guard((id, e) => {
      const refused = refusal;
      refusal = undefined;
      if (refused) return Promise.reject(refused);
      return port.finalize(id, e);
    }),
  };
}

let handle: (event: HttpEvent) => Promise<HttpResponse>;

beforeAll(async () => {
  sandbox = await sandboxDir();
  env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  workflows = localWorkflows(env, () => {});
  const port = faulty(workflows);
  handle = (event) =>
    handleHttp(event, {
      workflows: port,
      logError: () => {},
      slack: (e) =>
        handleSlackCommand(e, {
          workflows: port,
          signingSecret: async () => {
            if (secretFault) throw new Error('AccessDeniedException: parameter/privatelink/slack');
            return SECRET;
          },
          profiles: SLACK_PROFILES,
          post: async () => {},
        }),
    });
});

afterAll(async () => {
  await workflows?.settled();
  await env?.close();
  await sandbox?.cleanup();
});

interface Call {
  body?: string | object;
  headers?: Record<string, string>;
}

/** One request through the handlers, checked against the document; returns the status and parsed body. */
async function call(method: string, path: string, { body, headers = {} }: Call = {}, via = handle) {
  const [rawPath = '', query = ''] = path.split('?');
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await via({
    rawPath,
    rawQueryString: query,
    queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
    headers: {
      ...(typeof body === 'object' && { 'content-type': 'application/json' }),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    ...(text !== undefined && { body: text }),
    requestContext: { http: { method } },
  });
  conforms(method, rawPath, response);
  const html = (response.headers['content-type'] ?? '').startsWith('text/html');
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (html ? { html: response.body } : JSON.parse(response.body)) as Json,
  };
}

function conforms(method: string, path: string, response: HttpResponse): void {
  const template = templateOf(path);
  const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
  const responses = (operation?.responses ?? (doc['x-unmatched'] as Json).responses) as Json;
  const where = `${method} ${path} → ${response.statusCode}`;
  const spec = deref(responses[String(response.statusCode)]);
  expect(spec, `${where} is not documented (${response.body.slice(0, 300)})`).toBeDefined();
  const content = spec.content as Record<string, { schema: Schema }>;
  const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  expect(Object.keys(content), `${where}: content type`).toContain(type);
  const body = type === 'application/json' ? JSON.parse(response.body) : response.body;
  const errors = validate(body, content[type]?.schema ?? false, doc);
  expect(errors, `${where}: ${response.body.slice(0, 500)}`).toEqual([]);
  for (const [name, header] of Object.entries((spec.headers ?? {}) as Record<string, Json>)) {
    const value = response.headers[name.toLowerCase()];
    if (header.required) expect(value, `${where}: header ${name}`).toBeDefined();
    if (value !== undefined) expect(validate(value, header.schema as Schema, doc), `${where}: ${name}`).toEqual([]);
  }
  observed.add(`${operation ? `${method.toUpperCase()} ${template}` : 'unmatched'} ${response.statusCode}`);
}

/** A signed slash command with these form fields. */
function slack(form: Record<string, string>, headers: Record<string, string> = {}): Call {
  const body = new URLSearchParams(form).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(SECRET, timestamp, body),
      ...headers,
    },
  };
}
const SLACK_FORM = { command: '/privatelink', response_url: 'https://hooks.slack.com/commands/T1/2/x' };

async function until(requestId: string, wanted: string[]): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const { body } = await call('GET', `/endpoints/${requestId}`);
    if (wanted.includes(String(body.status))) return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${requestId} never reached ${wanted.join('|')}`);
}

/** The orders example under another id and host (one request owns each hostname's records). */
async function ordersRequest(requestId: string): Promise<Json> {
  const orders = await example('orders-nlb-tcp.json');
  return { ...orders, requestId, target: { ...(orders.target as Json), host: `${requestId}.internal.example.com` } };
}

const busy = () => new WorkflowsBusyError('the workflow service is busy; try again in a few seconds');
const boom = () => new Error('ExecutionLimitExceeded at arn:aws:states:us-east-1:111122223333:stateMachine:x');
const big = { pad: 'x'.repeat(70 * 1024) };

describe('docs/openapi.json', () => {
  it('describes every request the project ships (examples and Slack profiles) as valid', async () => {
    const schema = { $ref: '#/components/schemas/ProvisionRequest' };
    const examples = readdirSync(new URL('../../examples/', import.meta.url)).filter(
      (name) => name.endsWith('.json') && name !== 'sandbox-seed.json',
    );
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const name of examples) expect(validate(await example(name), schema, doc), name).toEqual([]);
    for (const [name, profile] of Object.entries(SLACK_PROFILES))
      expect(validate({ ...profile.request, requestId: 'x' }, schema, doc), name).toEqual([]);
    // The checker can fail: the shapes it must refuse.
    const request = await example('pinecone-index.json');
    expect(validate({ ...request, extra: 1 }, schema, doc)).toEqual(['$.extra: no value is allowed here']);
    expect(validate({ ...request, tags: { 'aws:x': 'y' } }, schema, doc)).not.toEqual([]);
    const result = { $ref: '#/components/schemas/ProvisionResult' };
    expect(validate({ requestId: 'a/b', status: 'READY' }, result, doc)).toEqual([
      '$.requestId: "a/b" does not match ^[A-Za-z0-9_-]{1,64}$',
    ]);
  });

  it('POST /endpoints: 202, 200, 400, 403, 409, 413, 415, 500, 503', async () => {
    const request = await ordersRequest('openapi-orders');
    expect((await call('POST', '/endpoints', { body: request })).status).toBe(202);
    expect((await call('POST', '/endpoints', { body: request })).status).toBe(200);
    const other = { ...request, tags: { team: 'other' } };
    expect((await call('POST', '/endpoints', { body: other })).status).toBe(409);
    const bad = await call('POST', '/endpoints', { body: { ...request, region: 'mars-1' } });
    expect(bad.status).toBe(400);
    const key = await call('POST', '/endpoints', { body: request, headers: { 'idempotency-key': 'k'.repeat(65) } });
    expect(key.body.error).toMatchObject({ issues: [{ path: 'Idempotency-Key' }] });
    vi.stubEnv('PRIVATELINK_ALLOWED_VPCS', 'vpc-00000000');
    try {
      const refused = await call('POST', '/endpoints', { body: { ...request, requestId: 'openapi-403' } });
      expect(refused.status).toBe(403);
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await call('POST', '/endpoints', { body: big })).status).toBe(413);
    expect((await call('POST', '/endpoints', { body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(
      415,
    );
    fault = boom();
    const internal = await call('POST', '/endpoints', { body: { ...request, requestId: 'openapi-500' } });
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toMatch(/arn:|ExecutionLimit|\bat\b/);
    fault = busy();
    const throttled = await call('POST', '/endpoints', { body: { ...request, requestId: 'openapi-503' } });
    expect(throttled.status).toBe(503);
    expect((await until('openapi-orders', ['READY', 'FAILED'])).status).toBe('READY');
  });

  it('a 400 lists at most 20 issues and says how many there were', async () => {
    const request = await example('pinecone-index.json');
    const junk = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`junk${i}`, i]));
    const response = await call('POST', '/endpoints', { body: { ...request, ...junk } });
    expect(response.status).toBe(400);
    const error = response.body.error as { issues: unknown[]; issueCount: number; message: string };
    expect(error.issues).toHaveLength(20);
    expect(error.issueCount).toBe(30);
    expect(error.message).toContain('30 issues');
  });

  it('GET /endpoints/{requestId}: 200, 400, 404, 500, 503', async () => {
    expect((await call('GET', '/endpoints/openapi-orders')).status).toBe(200);
    // Results waiting on someone pass through exactly as the workflow reports them, in the documented shape.
    const waitingOn: Record<string, ProvisionResult> = {
      'openapi-vendor': {
        requestId: 'openapi-vendor',
        status: 'WAITING_FOR_VENDOR',
        currentStep: 'CheckEndpoint',
        actions: [
          {
            who: 'vendor',
            endpointId: 'vpce-0123456789abcdef0',
            what: 'Register vpce-0123456789abcdef0 in the Pinecone console: Settings > Network > Add an endpoint',
          },
        ],
      },
      'openapi-atlas': {
        requestId: 'openapi-atlas',
        status: 'WAITING_FOR_CONSUMER',
        currentStep: 'WaitForConsumer',
        actions: [
          {
            who: 'consumer',
            what: 'In account 444455556666, create an interface endpoint to the service below',
            command:
              'aws ec2 create-vpc-endpoint --region us-east-1 --vpc-endpoint-type Interface --vpc-id vpc-0e4a7b9c2d1f03568',
          },
        ],
        vendor: { name: 'atlas', endpointServiceId: '6123456789abcdef01234568', status: 'AVAILABLE' },
        service: {
          serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60789',
          serviceId: 'vpce-svc-0a1b2c3d4e5f60789',
          created: false,
        },
      },
    };
    const reporting = (e: HttpEvent) =>
      handleHttp(e, { workflows: { ...workflows, getResult: async (id) => waitingOn[id] }, logError: () => {} });
    for (const [id, result] of Object.entries(waitingOn)) {
      const shown = await call('GET', `/endpoints/${id}`, {}, reporting);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual(result);
    }
    for (const id of ['..%2F..%2Fetc', '%E0%A4%A', 'a%20b', 'x'.repeat(65)]) {
      const response = await call('GET', `/endpoints/${id}`);
      expect(response.status, id).toBe(400);
      expect(response.body.error).toMatchObject({ issues: [{ path: 'requestId' }] });
    }
    expect((await call('GET', '/endpoints/no-such-request')).status).toBe(404);
    fault = boom();
    expect((await call('GET', '/endpoints/openapi-orders')).status).toBe(500);
    fault = busy();
    expect((await call('GET', '/endpoints/openapi-orders')).status).toBe(503);
  });

  it('finalize and DELETE: 202, 400, 404, 409, 413, 415, 500, 503', async () => {
    const orders = await example('orders-nlb-tcp.json');
    const request = { ...orders, requestId: 'openapi-partner', consumer: { external: { accountId: '111122223333' } } };
    expect((await call('POST', '/endpoints', { body: request })).status).toBe(202);
    const waiting = await until('openapi-partner', ['WAITING_FOR_CONSUMER', 'FAILED', 'READY']);
    expect(waiting.status).toBe('WAITING_FOR_CONSUMER');
    // While a provisioning still runs (not waiting on anyone), teardown is refused: 409.
    fault = new RequestBusyError('request openapi-partner is still being provisioned; tear it down once that ends');
    const busyTeardown = await call('DELETE', '/endpoints/openapi-partner');
    expect(busyTeardown.status).toBe(409);
    expect((busyTeardown.body.error as Json).code).toBe('RequestInProgress');

    const path = '/endpoints/openapi-partner/finalize';
    expect((await call('POST', path, { body: { endpointId: 'vpce-x' } })).status).toBe(400);
    // The hand-off's check refuses the endpoint: 400 for an id EC2 would not take, 409 otherwise; the wait goes on.
    const reported = 'vpce-0123456789abcdef0';
    for (const [code, status] of [
      ['InvalidEndpointId', 400],
      ['ConsumerEndpointNotFound', 409],
      ['ConsumerEndpointWrongService', 409],
      ['ConsumerAccountMismatch', 409],
    ] as const) {
      refusal = new ConsumerEndpointRefusedError(code, `${reported} is not the one (${code})`);
      const refused = await call('POST', path, { body: { endpointId: reported } });
      expect(refused.status, code).toBe(status);
      expect(refused.body).toEqual({
        error: {
          code,
          message: `${reported} is not the one (${code}); request openapi-partner goes on waiting for the other party's endpoint`,
          endpointId: reported,
          status: 'WAITING_FOR_CONSUMER',
        },
      });
    }
    expect((await call('GET', '/endpoints/openapi-partner')).body.status).toBe('WAITING_FOR_CONSUMER');
    expect((await call('POST', path, { body: [] })).status).toBe(400);
    expect((await call('POST', path, { body: big })).status).toBe(413);
    expect((await call('POST', path, { body: 'endpointId=x', headers: { 'content-type': 'text/plain' } })).status).toBe(
      415,
    );
    const someId = { endpointId: 'vpce-0123456789abcdef0' };
    expect((await call('POST', '/endpoints/no-such-request/finalize', { body: someId })).status).toBe(404);
    expect((await call('POST', '/endpoints/%2e%2e/finalize', { body: someId })).status).toBe(400);
    expect((await call('POST', '/endpoints/openapi-orders/finalize', { body: someId })).status).toBe(409);
    fault = boom();
    expect((await call('POST', path, { body: someId })).status).toBe(500);
    fault = busy();
    expect((await call('POST', path, { body: someId })).status).toBe(503);

    const service = waiting.service as { serviceName: string };
    const created = await ec2Client('us-east-1').send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: 'vpc-0a1b2c3d4e5f67890',
        ServiceName: service.serviceName,
        SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
      }),
    );
    const finalized = await call('POST', path, { body: { endpointId: created.VpcEndpoint?.VpcEndpointId } });
    expect(finalized.status).toBe(202);
    expect((await until('openapi-partner', ['READY', 'FAILED'])).status).toBe('READY');

    expect((await call('DELETE', '/endpoints/openapi-orders')).status).toBe(202);
    expect((await call('DELETE', '/endpoints/no-such-request')).status).toBe(404);
    expect((await call('DELETE', '/endpoints/a.b')).status).toBe(400);
    fault = boom();
    expect((await call('DELETE', '/endpoints/openapi-partner')).status).toBe(500);
    fault = busy();
    expect((await call('DELETE', '/endpoints/openapi-partner')).status).toBe(503);
    expect((await until('openapi-orders', ['DELETED', 'FAILED'])).status).toBe('DELETED');

    // A request waiting for the other party is cancelled by DELETE: 202, its wait ends, nothing is left.
    const cancel = { ...request, requestId: 'openapi-cancel' };
    expect((await call('POST', '/endpoints', { body: cancel })).status).toBe(202);
    expect((await until('openapi-cancel', ['WAITING_FOR_CONSUMER', 'FAILED', 'READY'])).status).toBe(
      'WAITING_FOR_CONSUMER',
    );
    expect((await call('DELETE', '/endpoints/openapi-cancel')).status).toBe(202);
    expect((await until('openapi-cancel', ['DELETED', 'FAILED'])).status).toBe('DELETED');
  });

  it('GET /: 200, the status page', async () => {
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    expect(String(page.body.html)).toContain('<svg');
  });

  it('GET /endpoints: 200, 400, 500, 503', async () => {
    const page = await call('GET', '/endpoints?limit=1');
    expect(page.status).toBe(200);
    expect(page.body.next).toEqual(expect.any(String));
    expect((await call('GET', `/endpoints?limit=1&next=${page.body.next}`)).status).toBe(200);
    expect((await call('GET', '/endpoints?limit=0')).status).toBe(400);
    fault = boom();
    expect((await call('GET', '/endpoints')).status).toBe(500);
    fault = busy();
    expect((await call('GET', '/endpoints')).status).toBe(503);
  });

  it('POST /slack/commands: 200, 400, 401, 413, 415, 500, 503', async () => {
    const help = await call('POST', '/slack/commands', slack({ ...SLACK_FORM, text: 'help' }));
    expect(help.status).toBe(200);
    const status = await call('POST', '/slack/commands', slack({ ...SLACK_FORM, text: 'status openapi-partner' }));
    expect(status.body.text).toContain('READY');
    const elsewhere = slack({ ...SLACK_FORM, text: 'help', response_url: 'https://attacker.example.com/x' });
    expect((await call('POST', '/slack/commands', elsewhere)).status).toBe(400);
    const unsigned = slack({ ...SLACK_FORM, text: 'help' }, { 'x-slack-signature': '' });
    expect((await call('POST', '/slack/commands', unsigned)).status).toBe(401);
    const bigForm = slack({ ...SLACK_FORM, text: 'x'.repeat(70 * 1024) });
    expect((await call('POST', '/slack/commands', bigForm)).status).toBe(413);
    const asJson = slack({ ...SLACK_FORM, text: 'help' }, { 'content-type': 'application/json' });
    expect((await call('POST', '/slack/commands', asJson)).status).toBe(415);
    secretFault = true;
    try {
      expect((await call('POST', '/slack/commands', slack({ ...SLACK_FORM, text: 'help' }))).status).toBe(500);
    } finally {
      secretFault = false;
    }
    vi.stubEnv('SLACK_SIGNING_SECRET', '');
    try {
      const unconfigured = localHttpHandler(env, { log: () => {} }).handle;
      const response = await call('POST', '/slack/commands', slack({ ...SLACK_FORM, text: 'help' }), unconfigured);
      expect(response.status).toBe(503);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('handles every documented operation, and answers 405 to the methods a path does not document', async () => {
    const concrete = (template: string) => template.replace('{requestId}', 'openapi-partner');
    for (const template of Object.keys(paths))
      for (const method of METHODS) {
        const response = await call(method.toUpperCase(), concrete(template), { body: {} });
        const unhandled =
          response.status === 405 ||
          (response.status === 404 && String((response.body.error as Json).message).startsWith('no route'));
        if (method in (paths[template] ?? {}))
          expect(unhandled, `${method} ${template} is documented but not handled`).toBe(false);
        else expect(response.status, `${method} ${template} is handled but not documented`).toBe(405);
      }
    for (const path of ['/index.html', '/endpoint', '/endpoints/a/b', '/endpoints/a/finalize/x', '/slack'])
      expect((await call('GET', path)).status, path).toBe(404);
  });

  it('gave every operation every status it documents', () => {
    const documented = operations.flatMap(({ template, method, operation }) =>
      Object.keys(operation.responses as Json).map((status) => `${method.toUpperCase()} ${template} ${status}`),
    );
    const unmatched = Object.keys((doc['x-unmatched'] as Json).responses as Json).map((s) => `unmatched ${s}`);
    expect([...documented, ...unmatched].filter((k) => !observed.has(k))).toEqual([]);
  });
});
