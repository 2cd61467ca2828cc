// How each edge's corpus cases reach the product. One JSON file per edge in test/corpus/
// ({ edge, description, cases: [{ name, input, expect }] }); each edge names a driver here.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localHttpHandler } from '../../src/cli/serve-app.ts';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { eventLog } from '../../src/core/app/event-log.ts';
import type { HttpEvent, HttpResponse } from '../../src/core/app/http-event.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { startHttpServer } from '../../src/http/node-server.ts';
import { slackSignature } from '../../src/slack/signature.ts';
import type { SandboxDir } from '../support/cli.ts';
import { example } from '../support/cli.ts';
import { clusterCreatedEvent, clusterCreatedTransformer, transformInput } from '../support/input-transformer.ts';
import { validateAgainst } from '../support/json-schema.ts';

export interface CorpusExpect {
  /** CLI exit code */
  exit?: number;
  /** HTTP status */
  status?: number;
  /** a substring of what the caller is told */
  message?: string;
  /** a substring naming the field, e.g. "consumer.subnetIds.1" */
  path?: string;
}

export interface CorpusCase {
  name: string;
  input: unknown;
  expect: CorpusExpect;
}

export interface CorpusFile {
  edge: string;
  description?: string;
  cases: CorpusCase[];
}

export interface Outcome {
  /** the exit code or HTTP status */
  code: number;
  /** everything the caller was told (stdout, stderr, body) */
  text: string;
}

/** Runs one case's input against a fresh sandbox; the runner then checks that nothing was created. */
export type Driver = (input: unknown, sandbox: SandboxDir) => Promise<Outcome>;

/**
 * Inputs are JSON with a few expansions, so big or odd values stay readable as data:
 * { "$base": "<example file>", "$set": { "dotted.path": value }, "$delete": ["path"] } starts from an example;
 * { "$repeat": "ab", "times": 300, "prefix": "", "suffix": "" } is a long string;
 * { "$bigTags": N } is N tags with 1 KB values (megabytes of request); { "$raw": "text" } is a file's text as is.
 */
export async function expand(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(expand));
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.$repeat === 'string') return `${v.prefix ?? ''}${v.$repeat.repeat(Number(v.times))}${v.suffix ?? ''}`;
  if (typeof v.$bigTags === 'number')
    return Object.fromEntries(Array.from({ length: v.$bigTags }, (_, i) => [`tag${i}`, 'v'.repeat(1024)]));
  if (typeof v.$base === 'string') {
    const base = structuredClone(await example(v.$base)) as Record<string, unknown>;
    for (const [path, item] of Object.entries((v.$set ?? {}) as Record<string, unknown>))
      setPath(base, path.split('.'), await expand(item));
    for (const path of (v.$delete ?? []) as string[]) setPath(base, path.split('.'), undefined);
    return base;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(v))
    Object.defineProperty(out, key, {
      value: await expand(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else Object.defineProperty(target, head, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (target[head] === undefined || target[head] === null) target[head] = {};
  setPath(target[head] as Record<string, unknown>, rest, value);
}

const cliText = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;

/** The signing secret the slack edge's handler is configured with. */
const SLACK_SECRET = 'corpus-signing-secret';

/** An HTTP case: one request to the handlers `privatelink serve` and the Lambdas run. */
interface HttpInput {
  method?: string;
  /** with the query string; sent as is (percent-encoding and all) */
  path?: string;
  /** values may use the expansions; null leaves a default header out */
  headers?: Record<string, unknown>;
  /** a JSON body (after expansion), sent as application/json unless headers say otherwise */
  json?: unknown;
  /** a raw body (after expansion), as application/json unless headers say otherwise */
  body?: unknown;
  /** through node:http on 127.0.0.1 (as `privatelink serve`) rather than straight to the handler */
  serve?: boolean;
}

/** A Slack case: a slash command to POST /slack/commands, signed as Slack would unless told otherwise. */
interface SlackInput {
  /** form fields (command and response_url default to Slack's) */
  form?: Record<string, unknown>;
  /** a raw body instead of the form */
  body?: unknown;
  /** valid (default), none, bad (another secret), short (a truncated signature), tamper (signed, then changed) */
  sign?: 'valid' | 'none' | 'bad' | 'short' | 'tamper';
  /** seconds from now for X-Slack-Request-Timestamp */
  timestampOffset?: number;
  /** X-Slack-Request-Timestamp as given (signed over as given) */
  timestamp?: string;
  headers?: Record<string, unknown>;
}

/** The local app over the case's sandbox; everything it started has settled and the sandbox is saved on return. */
async function withLocalApp(
  sandbox: SandboxDir,
  send: (handle: (event: HttpEvent) => Promise<HttpResponse>) => Promise<HttpResponse>,
): Promise<Outcome> {
  const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  const app = localHttpHandler(env, {
    log: () => {},
    slackSigningSecret: SLACK_SECRET,
    // Never network: a case that wrongly started something would still post nowhere.
    slack: { post: async () => {}, pollMs: 1 },
  });
  try {
    const response = await send(app.handle);
    return {
      code: response.statusCode,
      text: `${response.statusCode}\n${JSON.stringify(response.headers)}\n${response.body}`,
    };
  } finally {
    await app.workflows.settled();
    await env.close();
  }
}

function eventOf(method: string, path: string, headers: Record<string, string>, body?: string): HttpEvent {
  const [rawPath = '', query = ''] = path.split('?');
  return {
    rawPath,
    rawQueryString: query,
    queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
    headers,
    ...(body !== undefined && { body }),
    requestContext: { http: { method } },
  };
}

/** Over loopback only: the real node:http server, fetched at 127.0.0.1. */
async function overLoopback(
  handle: (event: HttpEvent) => Promise<HttpResponse>,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpResponse> {
  const server = await startHttpServer(handle, { port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined && { body }) });
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
  } finally {
    await server.close();
  }
}

async function headersOf(given: Record<string, unknown> | undefined, defaults: Record<string, string>) {
  const headers: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = String(await expand(value));
  }
  return headers;
}

/** An EventBridge case: one event on the cluster bus that the Cluster Created rule matches. */
interface EventBridgeInput {
  /** the event's detail (after expansion); leave it out for an event without one */
  detail?: unknown;
  /** envelope fields over a default Cluster Created envelope (a fresh UUID id); null removes one */
  envelope?: Record<string, unknown>;
}

const clusterCreatedInput = clusterCreatedTransformer;

/**
 * Delivers an event as the rule does: the input transformer, then the real provisioning definition
 * started with a generated execution name (no startProvision, so no pre-validation) on the case's
 * sandbox, with putEvents recorded in <stateDir>/events.jsonl. Refused cleanly (code 2) means: the
 * execution FAILED with InvalidRequest at EnsureEndpointService, and exactly one Private Endpoint Failed
 * event, valid against its schema, carries that result. Anything else is code 1 (another failure) or 0.
 */
async function deliverEvent(input: EventBridgeInput, sandbox: SandboxDir): Promise<Outcome> {
  const event = clusterCreatedEvent('detail' in input ? await expand(input.detail) : undefined);
  for (const [name, value] of Object.entries(input.envelope ?? {}))
    if (value === null) delete event[name];
    else event[name] = await expand(value);
  let transformed: string;
  try {
    transformed = transformInput(clusterCreatedInput, event);
  } catch (error) {
    // EventBridge cannot build the target's input: the rule's invocation fails and no execution starts.
    const recorded = await eventLog(sandbox.dir).read();
    return {
      code: recorded.length === 0 ? 2 : 1,
      text: `not delivered: ${(error as Error).message}; no execution started\n${JSON.stringify(recorded)}`,
    };
  }
  const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  const executionName = randomUUID();
  let outcome: Awaited<ReturnType<typeof runWorkflow>>;
  try {
    outcome = await runWorkflow({
      workflow: 'provision',
      input: JSON.parse(transformed),
      executionName,
      ...(env.sandbox && { sandbox: env.sandbox }),
      afterTask: () => env.save(),
      localTasks: localIntegrations(env, 'provision', executionName),
    });
  } finally {
    await env.close();
  }
  const recorded = await eventLog(sandbox.dir).read();
  const told = outcome.status === 'FAILED' ? `${outcome.error}\n${outcome.cause}` : JSON.stringify(outcome.output);
  const text = `${outcome.status}\n${told}\nevents: ${JSON.stringify(recorded.map((r) => r.event))}`;
  if (outcome.status !== 'FAILED') return { code: 0, text };
  const [failed, ...more] = recorded;
  const detail = failed?.event.detail as { error?: { code?: string; step?: string } } | undefined;
  const problems = [
    outcome.error !== 'InvalidRequest' && `the execution failed with ${outcome.error}, not InvalidRequest`,
    failed?.event['detail-type'] !== 'Private Endpoint Failed' && 'no Private Endpoint Failed event',
    more.length > 0 && `${more.length} more events`,
    detail?.error?.code !== 'InvalidRequest' && 'the event does not say InvalidRequest',
    detail?.error?.step !== 'EnsureEndpointService' && 'the event does not name EnsureEndpointService',
    failed && JSON.stringify(detail) !== outcome.cause && "the event's detail is not the execution's result",
    ...(failed ? validateAgainst('private-endpoint-failed.json', failed.event) : []),
  ].filter((p): p is string => typeof p === 'string');
  return { code: problems.length === 0 ? 2 : 1, text: `${text}\n${problems.join('\n')}` };
}

export const DRIVERS: Record<string, Driver> = {
  /** `privatelink provision --request FILE` with the case's input as the file */
  async 'cli-request'(input, sandbox) {
    const file = join(sandbox.dir, '..', 'corpus-request.json');
    const raw =
      input && typeof input === 'object' && '$raw' in input ? String((input as { $raw: unknown }).$raw) : undefined;
    await writeFile(file, raw ?? JSON.stringify(await expand(input)));
    const run = await sandbox.cli(['provision', '--request', file]);
    return { code: run.code, text: cliText(run) };
  },
  /** `privatelink <argv…>` */
  async 'cli-args'(input, sandbox) {
    const run = await sandbox.cli(input as string[]);
    return { code: run.code, text: cliText(run) };
  },
  /** One HTTP request to the API's handlers (straight, as in Lambda, or through `privatelink serve` on loopback) */
  async http(input, sandbox) {
    const { method = 'POST', path = '/endpoints', serve = false, ...rest } = input as HttpInput;
    const body =
      rest.json !== undefined
        ? JSON.stringify(await expand(rest.json))
        : rest.body !== undefined
          ? String(await expand(rest.body))
          : undefined;
    const headers = await headersOf(rest.headers, body === undefined ? {} : { 'content-type': 'application/json' });
    return withLocalApp(sandbox, (handle) =>
      serve ? overLoopback(handle, method, path, headers, body) : handle(eventOf(method, path, headers, body)),
    );
  },
  /** One slash command to POST /slack/commands, signed with the handler's secret unless the case says otherwise */
  async slack(input, sandbox) {
    const { form = {}, sign = 'valid', timestampOffset = 0, ...rest } = input as SlackInput;
    const fields: Record<string, string> = {
      command: '/privatelink',
      response_url: 'https://hooks.slack.com/commands/T0001/2/corpus',
    };
    for (const [name, value] of Object.entries(form)) {
      if (value === null) delete fields[name];
      else fields[name] = String(await expand(value));
    }
    let body = rest.body !== undefined ? String(await expand(rest.body)) : new URLSearchParams(fields).toString();
    const timestamp = rest.timestamp ?? String(Math.floor(Date.now() / 1000) + timestampOffset);
    const signature =
      sign === 'bad'
        ? slackSignature('not-the-secret', timestamp, body)
        : sign === 'short'
          ? slackSignature(SLACK_SECRET, timestamp, body).slice(0, 20)
          : slackSignature(SLACK_SECRET, timestamp, body);
    if (sign === 'tamper') body = body.replace('text=', 'text=delete+');
    const headers = await headersOf(rest.headers, {
      'content-type': 'application/x-www-form-urlencoded',
      ...(sign !== 'none' && { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature }),
    });
    return withLocalApp(sandbox, (handle) => handle(eventOf('POST', '/slack/commands', headers, body)));
  },
  /** One event on the cluster bus, through the rule's input transformer into the provisioning workflow */
  eventbridge: (input, sandbox) => deliverEvent(input as EventBridgeInput, sandbox),
};
