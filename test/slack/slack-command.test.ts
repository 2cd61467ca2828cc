// The /privatelink slash command: Slack's signature (with Slack's own published example), the
// subcommands, and the follow-up to response_url, over a fake WorkflowPort and an injected poster.
import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../src/core/app/http-event.ts';
import type { WorkflowPort } from '../../src/core/app/workflow-port.ts';
import type { ProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { RequestBusyError } from '../../src/core/errors.ts';
import { handleSlackCommand, type SlackDeps, type SlackMessage } from '../../src/slack/commands.ts';
import { SLACK_PROFILES } from '../../src/slack/profiles.ts';
import { slackSignature, verifySlackSignature } from '../../src/slack/signature.ts';

// https://api.slack.com/authentication/verifying-requests-from-slack
const EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const AT_EXAMPLE = () => Number(EXAMPLE.timestamp) * 1000;

function slackEvent(body: string, headers: Record<string, string>): HttpEvent {
  return {
    rawPath: '/slack/commands',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method: 'POST' } },
  };
}

const READY: ProvisionResult = {
  requestId: 'cluster0-app-prod',
  status: 'READY',
  connectionStrings: { srv: 'mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/' },
};

function fakeWorkflows(results: Record<string, ProvisionResult> = {}) {
  const started: ProvisionRequest[] = [];
  const finalized: [string, string][] = [];
  const port: WorkflowPort = {
    async startProvision(request) {
      started.push(request);
      results[request.requestId] = { requestId: request.requestId, status: 'READY', connectionStrings: { url: 'x' } };
      return { started: true, result: { requestId: request.requestId, status: 'PROVISIONING' } };
    },
    getResult: async (id) => results[id],
    listResults: async () => ({ items: Object.values(results) }),
    startTeardown: async (id) => (results[id] ? { requestId: id, status: 'DELETING' } : undefined),
    async finalize(id, endpointId) {
      finalized.push([id, endpointId]);
    },
  };
  return { port, started, finalized };
}

/** A signed slash command with `text`, at the current time. */
function command(text: string, responseUrl = 'https://hooks.slack.com/commands/T1/2/abc') {
  const body = new URLSearchParams({ command: '/privatelink', text, response_url: responseUrl }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return slackEvent(body, {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(EXAMPLE.secret, timestamp, body),
  });
}

function deps(workflows: WorkflowPort, extra: Partial<SlackDeps> = {}): SlackDeps {
  return {
    workflows,
    signingSecret: async () => EXAMPLE.secret,
    profiles: SLACK_PROFILES,
    post: async () => {},
    ...extra,
  };
}

describe('Slack signature (v0)', () => {
  it("verifies Slack's published example at its timestamp", () => {
    const check = verifySlackSignature({
      secret: EXAMPLE.secret,
      timestamp: EXAMPLE.timestamp,
      signature: EXAMPLE.signature,
      rawBody: Buffer.from(EXAMPLE.body),
      nowSeconds: Number(EXAMPLE.timestamp) + 10,
    });
    expect(check).toBe('valid');
    expect(slackSignature(EXAMPLE.secret, EXAMPLE.timestamp, EXAMPLE.body)).toBe(EXAMPLE.signature);
  });

  it('answers signed, tampered, stale and unsigned requests 200, 401, 401, 401', async () => {
    const { port } = fakeWorkflows();
    const headers = { 'x-slack-request-timestamp': EXAMPLE.timestamp, 'x-slack-signature': EXAMPLE.signature };
    const signed = await handleSlackCommand(slackEvent(EXAMPLE.body, headers), deps(port, { now: AT_EXAMPLE }));
    const tampered = await handleSlackCommand(
      slackEvent(EXAMPLE.body.replace('text=', 'text=delete+x'), headers),
      deps(port, { now: AT_EXAMPLE }),
    );
    const stale = await handleSlackCommand(slackEvent(EXAMPLE.body, headers), deps(port));
    const unsigned = await handleSlackCommand(slackEvent(EXAMPLE.body, {}), deps(port, { now: AT_EXAMPLE }));
    expect([signed, tampered, stale, unsigned].map((r) => r.statusCode)).toEqual([200, 401, 401, 401]);
    expect(JSON.parse(signed.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.parse(signed.body).text).toContain('/privatelink provision');
    expect(stale.body).toContain('five minutes');
    expect(tampered.body).not.toContain(EXAMPLE.secret);
  });

  it('rejects a timestamp six minutes in the future and a signature of the wrong length', () => {
    const base = { secret: EXAMPLE.secret, rawBody: Buffer.from(EXAMPLE.body), nowSeconds: Number(EXAMPLE.timestamp) };
    expect(
      verifySlackSignature({ ...base, timestamp: String(base.nowSeconds + 360), signature: EXAMPLE.signature }),
    ).toBe('stale');
    expect(verifySlackSignature({ ...base, timestamp: EXAMPLE.timestamp, signature: 'v0=abc' })).toBe('mismatch');
  });

  it('answers 500 with a correlation id, not the reason, when the secret cannot be read', async () => {
    const logError = vi.fn();
    const response = await handleSlackCommand(
      command('help'),
      deps(fakeWorkflows().port, {
        signingSecret: async () => {
          throw new Error('AccessDeniedException: arn:aws:ssm:us-east-1:111122223333:parameter/x');
        },
        logError,
      }),
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('AccessDenied');
    expect(JSON.parse(response.body).error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logError).toHaveBeenCalled();
  });
});

describe('/privatelink subcommands', () => {
  it('status of a READY request answers at once with the connection strings', async () => {
    const { port } = fakeWorkflows({ 'cluster0-app-prod': READY });
    const response = await handleSlackCommand(command('status cluster0-app-prod'), deps(port));
    expect(response.statusCode).toBe(200);
    const message = JSON.parse(response.body) as SlackMessage;
    expect(message.response_type).toBe('ephemeral');
    expect(message.text).toContain('READY');
    expect(message.text).toContain('mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/');
  });

  it('provision starts the profile with the id, notify URL and overrides, then posts the result', async () => {
    const { port, started } = fakeWorkflows();
    const posts: [string, SlackMessage][] = [];
    const work: Promise<unknown>[] = [];
    const response = await handleSlackCommand(
      command('provision atlas-replica-set cluster7-app tags.team=search'),
      deps(port, {
        post: async (url, message) => {
          posts.push([url, message]);
        },
        background: (p) => work.push(p),
        pollMs: 1,
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).text).toContain('cluster7-app');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      requestId: 'cluster7-app',
      tags: { team: 'search' },
      notify: { slackResponseUrl: 'https://hooks.slack.com/commands/T1/2/abc' },
    });
    await Promise.all(work);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.[0]).toBe('https://hooks.slack.com/commands/T1/2/abc');
    expect(posts[0]?.[1].text).toContain('READY');
  });

  it('never posts to a response_url outside hooks.slack.com', async () => {
    const { port } = fakeWorkflows();
    const post = vi.fn();
    const work: Promise<unknown>[] = [];
    await handleSlackCommand(
      command('provision atlas-replica-set cluster8-app', 'https://attacker.example.com/hook'),
      deps(port, { post, background: (p) => work.push(p), pollMs: 1 }),
    );
    await Promise.all(work);
    expect(post).not.toHaveBeenCalled();
  });

  it('names invalid fields, unknown profiles and subcommands in an ephemeral 200', async () => {
    const { port, started } = fakeWorkflows();
    const invalid = await handleSlackCommand(command('provision atlas-replica-set c9 region=mars-1'), deps(port));
    expect(JSON.parse(invalid.body).text).toContain('`region`');
    const unknown = await handleSlackCommand(command('provision nope c9'), deps(port));
    expect(JSON.parse(unknown.body).text).toContain('atlas-replica-set');
    const what = await handleSlackCommand(command('launch'), deps(port));
    expect(JSON.parse(what.body).text).toContain('unknown subcommand');
    expect(started).toEqual([]);
  });

  it('delete and finalize reach the workflows', async () => {
    const { port, finalized } = fakeWorkflows({ 'cluster0-app-prod': READY });
    const teardown = vi.spyOn(port, 'startTeardown');
    const deleted = await handleSlackCommand(command('delete cluster0-app-prod'), deps(port));
    expect(JSON.parse(deleted.body).text).toContain('Tearing down');
    expect(teardown).toHaveBeenCalledWith('cluster0-app-prod');
    await handleSlackCommand(command('finalize cluster0-app-prod vpce-0123456789abcdef0'), deps(port));
    expect(finalized).toEqual([['cluster0-app-prod', 'vpce-0123456789abcdef0']]);
    const bad = await handleSlackCommand(command('finalize cluster0-app-prod vpce-xyz'), deps(port));
    expect(JSON.parse(bad.body).text).toContain('endpoint id');
  });

  it("says why a refused command was refused, and keeps unexpected errors' messages in the log", async () => {
    const { port } = fakeWorkflows({ 'cluster0-app-prod': READY });
    port.startTeardown = async () => {
      throw new RequestBusyError('request cluster0-app-prod is still being provisioned; tear it down once that ends');
    };
    const busy = await handleSlackCommand(command('delete cluster0-app-prod'), deps(port));
    expect(JSON.parse(busy.body).text).toContain('still being provisioned');

    const logError = vi.fn();
    port.getResult = async () => {
      throw new Error('AccessDeniedException: arn:aws:states:us-east-1:111122223333:execution:x');
    };
    const failed = await handleSlackCommand(command('status cluster0-app-prod'), deps(port, { logError }));
    expect(failed.statusCode).toBe(200);
    expect(failed.body).not.toContain('arn:aws');
    expect(failed.body).not.toContain('AccessDenied');
    expect(logError).toHaveBeenCalled();
  });
});
