// The workflow's Slack messages: NotifySlack posts progress when the workflow starts waiting (for the
// endpoint, for Route 53, for the other party) and then the final result to notify.slackResponseUrl. On
// the sandbox the posts go to <stateDir>/slack-outbox.jsonl and never to the network.
import { CreateVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import { localIntegrations } from '../../src/core/app/local-integrations.ts';
import { ec2Client } from '../../src/core/aws/clients.ts';
import { requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { runWorkflow } from '../../src/core/runner/local-runner.ts';
import { localWorkflows } from '../../src/http/local-workflows.ts';
import type { SlackMessage } from '../../src/slack/commands.ts';
import { localSlack } from '../../src/slack/local-notifier.ts';
import { buildNotifySlackHandler, progressMessage, resultMessage } from '../../src/slack/notify.ts';
import { type OutboxEntry, slackOutbox } from '../../src/slack/outbox.ts';
import { example, type SandboxDir, sandboxDir } from '../support/cli.ts';

const RESPONSE_URL = 'https://hooks.slack.com/commands/T0001/2002/xyzzy';

/** Every text of a message's blocks, as Slack shows it (`&amp;` back to `&`). */
function shown(message: { blocks?: unknown[] }): string {
  return JSON.stringify(message.blocks ?? [])
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}

describe('on the sandbox', () => {
  let sandbox: SandboxDir;
  const fetchSpy = vi.fn(async () => {
    throw new Error('the workflow must not reach the network');
  });
  beforeEach(async () => {
    sandbox = await sandboxDir();
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    fetchSpy.mockClear();
    await sandbox.cleanup();
  });

  it('a READY provisioning with a slackResponseUrl posts the progress, then the result with the strings', async () => {
    const request = { ...(await example('atlas-replica-set.json')), notify: { slackResponseUrl: RESPONSE_URL } };
    const { code, result } = await sandbox.provision(request);
    expect(code).toBe(0);
    const outbox = await slackOutbox(sandbox.dir).read();
    expect(outbox.map((entry) => entry.url)).toEqual([RESPONSE_URL, RESPONSE_URL, RESPONSE_URL]);
    const [created, dns, final] = outbox as [OutboxEntry, OutboxEntry, OutboxEntry];
    const endpointId = result.endpoint?.endpointId ?? '';
    expect(endpointId).toMatch(/^vpce-/);
    expect(created.message.text).toBe(
      `cluster0-app-prod: endpoint ${endpointId} created in vpc-0a1b2c3d4e5f67890, waiting for it to become available`,
    );
    expect(shown(created.message)).toContain(`endpoint \`${endpointId}\` created in \`vpc-0a1b2c3d4e5f67890\``);
    expect(dns.message.text).toBe(
      `cluster0-app-prod: private DNS written to cluster0-pl-0-k45tj.mongodb.net, pl-0-us-east-1-k45tj.mongodb.net; waiting for endpoint ${endpointId} to become available and Route 53 to apply the records`,
    );
    // Each post when it happened (the sandbox clock): DNS is written right after the endpoint is
    // created, and the endpoint then takes minutes to become available.
    expect(Date.parse(dns.postedAt)).toBeGreaterThanOrEqual(Date.parse(created.postedAt));
    expect(Date.parse(final.postedAt) - Date.parse(dns.postedAt)).toBeGreaterThanOrEqual(60_000);
    expect(final.message.response_type).toBe('ephemeral');
    expect(shown(final.message)).toContain(result.connectionStrings?.standard);
    expect(shown(final.message)).toContain('mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/');
    expect(shown(final.message)).toContain('endpoint ready');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('adds three states with a URL (two progress posts, the result) and stays within the transitions budget', async () => {
    const plain = await sandbox.provision('orders-nlb-tcp.json');
    const other = await sandboxDir();
    try {
      const request = { ...(await example('orders-nlb-tcp.json')), notify: { slackResponseUrl: RESPONSE_URL } };
      const notified = await other.provision(request);
      expect(plain.result.stats?.stateTransitions).toBeLessThanOrEqual(60);
      expect(notified.result.stats?.stateTransitions).toBe((plain.result.stats?.stateTransitions ?? 0) + 3);
      // Slack takes no time on the sandbox clock: the posts do not delay the result.
      expect(notified.result.stats?.simulatedSeconds).toBe(plain.result.stats?.simulatedSeconds);
    } finally {
      await other.cleanup();
    }
  });

  it('a FAILED provisioning posts the step, the code and what was undone (nothing was created to report)', async () => {
    const request = { ...(await example('orders-nlb-tcp.json')), notify: { slackResponseUrl: RESPONSE_URL } };
    const { code } = await sandbox.provision(request, ['--fault', 'CreateVpcEndpoint:VpcEndpointLimitExceeded']);
    expect(code).toBe(1);
    const outbox = await slackOutbox(sandbox.dir).read();
    expect(outbox).toHaveLength(1);
    const text = shown(outbox[0]?.message ?? {});
    expect(text).toContain('`CreateInterfaceEndpoint`');
    expect(text).toContain('`VpcEndpointLimitExceeded`');
    expect(text).toMatch(/Undone\*\\n• deleted .*endpoint service/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a request without a slackResponseUrl posts nothing', async () => {
    const { code, stderr } = await sandbox.provision('pinecone-index.json');
    expect(code).toBe(0);
    expect(await slackOutbox(sandbox.dir).read()).toEqual([]);
    expect(stderr).not.toContain('NotifySlack');
  });

  it('an external consumer: "waiting for the other party" when the hand-off starts, the result after finalize', async () => {
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed, slack: localSlack });
    const workflows = localWorkflows(env, () => {});
    try {
      const request = requireProvisionRequest({
        ...(await example('orders-nlb-tcp.json')),
        requestId: 'orders-partner',
        consumer: { external: { accountId: env.sandbox?.accountId } },
        notify: { slackResponseUrl: RESPONSE_URL },
      });
      await workflows.startProvision(request);
      const waiting = await until(env, 'orders-partner', 'WAITING_FOR_CONSUMER');
      const serviceName = waiting.service?.serviceName ?? '';
      const [posted, ...more] = await slackOutbox(sandbox.dir).read();
      expect(more).toEqual([]);
      expect(posted?.message.text).toBe(
        `orders-partner: waiting for the other party's endpoint to service ${serviceName}`,
      );
      expect(shown(posted?.message ?? {})).toContain('/privatelink finalize orders-partner <vpce-id>');

      // The other party creates its endpoint to our service and reports it.
      const created = await ec2Client('us-east-1').send(
        new CreateVpcEndpointCommand({
          VpcEndpointType: 'Interface',
          VpcId: 'vpc-0a1b2c3d4e5f67890',
          ServiceName: serviceName,
          SubnetIds: ['subnet-0a1b2c3d4e5f67890'],
        }),
      );
      await workflows.finalize('orders-partner', created.VpcEndpoint?.VpcEndpointId ?? '');
      await workflows.settled();
      const outbox = await slackOutbox(sandbox.dir).read();
      expect(outbox).toHaveLength(2);
      expect(outbox[1]?.message.text).toBe('orders-partner: READY');
      expect(shown(outbox[1]?.message ?? {})).toContain(created.VpcEndpoint?.VpcEndpointId);
    } finally {
      await workflows.settled();
      await env.close();
    }
  });

  it('a progress post that keeps failing is retried once, then the workflow carries on to READY', async () => {
    const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed, slack: localSlack });
    try {
      const request = requireProvisionRequest({
        ...(await example('pinecone-index.json')),
        notify: { slackResponseUrl: RESPONSE_URL },
      });
      let attempts = 0;
      const outcome = await runWorkflow({
        workflow: 'provision',
        input: { request },
        executionName: 'progress-fails',
        ...(env.sandbox && { sandbox: env.sandbox }),
        localTasks: {
          ...localIntegrations(env, 'provision', 'progress-fails'),
          NotifySlackOfEndpointCreated: async () => {
            attempts++;
            throw Object.assign(new Error('Slack answered 503 to a response_url post'), {
              name: 'SlackUnavailableError',
            });
          },
        },
      });
      expect(attempts).toBe(2);
      expect(outcome.status).toBe('SUCCEEDED');
      expect((outcome as { output: ProvisionResult }).output.status).toBe('READY');
      // The other posts still happen: the DNS progress and the result.
      expect((await slackOutbox(sandbox.dir).read()).map((e) => e.message.text)).toEqual([
        expect.stringContaining('private DNS written to'),
        `${request.requestId}: READY`,
      ]);
    } finally {
      await env.close();
    }
  });
});

/** Polls the execution store until the request reaches `status`. */
async function until(env: Environment, requestId: string, status: ProvisionResult['status']) {
  const workflows = localWorkflows(env, () => {});
  for (let i = 0; i < 400; i++) {
    const result = await workflows.getResult(requestId);
    if (result?.status === status) return result;
    if (result?.status === 'FAILED') throw new Error(`${requestId} failed: ${JSON.stringify(result.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${requestId} never reached ${status}`);
}

describe('the NotifySlack handler', () => {
  it('builds each progress kind, escaped, and posts it', async () => {
    const post = vi.fn(async (_url: string, _message: SlackMessage) => {});
    const handler = buildNotifySlackHandler(post);
    const inputs = [
      { kind: 'endpointCreated', requestId: 'r1', endpointId: 'vpce-1', vpcId: 'vpc-1', serviceName: 'svc<x>' },
      { kind: 'dnsWritten', requestId: 'r1', endpointId: 'vpce-1', zones: [{ name: 'a.example.com', created: true }] },
      { kind: 'waitingForConsumer', requestId: 'r1', serviceName: 'com.amazonaws.vpce.x', accountId: '444455556666' },
    ] as const;
    for (const input of inputs) await handler({ responseUrl: RESPONSE_URL, ...input, execution: { id: 'x' } });
    expect(post.mock.calls.map(([, message]) => message.text)).toEqual([
      'r1: endpoint vpce-1 created in vpc-1, waiting for it to become available',
      'r1: private DNS written to a.example.com; waiting for endpoint vpce-1 to become available and Route 53 to apply the records',
      "r1: waiting for the other party's endpoint to service com.amazonaws.vpce.x",
    ]);
    expect(JSON.stringify(progressMessage(inputs[0]).blocks)).toContain('svc&lt;x&gt;');
    expect(JSON.stringify(progressMessage(inputs[2]).blocks)).toContain('account `444455556666` may connect');
  });

  it('refuses an unknown kind or a progress message without its fields, naming them', async () => {
    const post = vi.fn(async () => {});
    const handler = buildNotifySlackHandler(post);
    await expect(handler({ responseUrl: RESPONSE_URL, kind: 'gossip', result: {} })).rejects.toMatchObject({
      name: 'RequestValidationError',
    });
    await expect(
      handler({ responseUrl: RESPONSE_URL, kind: 'endpointCreated', requestId: 'r1' }),
    ).rejects.toMatchObject({
      issues: [
        { path: 'endpointId', message: expect.any(String) },
        { path: 'vpcId', message: expect.any(String) },
      ],
    });
    await expect(handler({ kind: 'result', result: { requestId: 'r1', status: 'READY' } })).rejects.toMatchObject({
      issues: [{ path: 'responseUrl', message: 'is required' }],
    });
    expect(post).not.toHaveBeenCalled();
  });

  const ready: ProvisionResult = {
    requestId: 'orders-db-app',
    status: 'READY',
    endpoint: { endpointId: 'vpce-0123456789abcdef0', state: 'available', dnsName: 'x', privateIpAddresses: [] },
    connectionStrings: { standard: 'mongodb://a:1024,a:1025/?tls=true&authSource=admin' },
  };

  it('posts the Block Kit result once to a hooks.slack.com URL (kind result, or no kind as before)', async () => {
    const post = vi.fn(async () => {});
    const handler = buildNotifySlackHandler(post);
    await expect(handler({ responseUrl: RESPONSE_URL, kind: 'result', result: ready })).resolves.toEqual({
      posted: true,
      via: 'response_url',
    });
    await expect(handler({ responseUrl: RESPONSE_URL, result: ready })).resolves.toEqual({
      posted: true,
      via: 'response_url',
    });
    expect(post).toHaveBeenCalledTimes(2);
    expect(post).toHaveBeenNthCalledWith(1, RESPONSE_URL, resultMessage(ready), {});
    expect(post).toHaveBeenNthCalledWith(2, RESPONSE_URL, resultMessage(ready), {});
  });

  it('refuses any other URL without posting', async () => {
    const post = vi.fn(async () => {});
    for (const responseUrl of [
      'https://example.com/hook',
      'http://hooks.slack.com/x',
      'https://hooks.slack.com.evil.io/',
    ])
      await expect(buildNotifySlackHandler(post)({ responseUrl, result: ready })).rejects.toMatchObject({
        name: 'SlackUrlNotAllowedError',
      });
    expect(post).not.toHaveBeenCalled();
  });

  it('escapes & < > as Slack asks, in strings and AWS messages alike', () => {
    const failed: ProvisionResult = {
      requestId: 'r1',
      status: 'FAILED',
      error: { code: 'InvalidParameter', step: 'UpsertDnsRecords', message: 'value <b> & more' },
      undone: [],
    };
    const blocks = JSON.stringify(resultMessage(failed).blocks);
    expect(blocks).toContain('value &lt;b&gt; &amp; more');
    expect(blocks).toContain('nothing had been created');
    expect(JSON.stringify(resultMessage(ready).blocks)).toContain('tls=true&amp;authSource=admin');
  });
});
