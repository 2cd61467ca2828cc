// The workflow's Slack message: NotifySlack posts the final result to notify.slackResponseUrl. On the
// sandbox the post goes to <stateDir>/slack-outbox.jsonl and never to the network.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { buildNotifySlackHandler, resultMessage } from '../../src/slack/notify.ts';
import { slackOutbox } from '../../src/slack/outbox.ts';
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

  it('a READY provisioning with a slackResponseUrl leaves exactly one message, with the connection strings', async () => {
    const request = { ...(await example('atlas-replica-set.json')), notify: { slackResponseUrl: RESPONSE_URL } };
    const { code, result } = await sandbox.provision(request);
    expect(code).toBe(0);
    const outbox = await slackOutbox(sandbox.dir).read();
    expect(outbox).toHaveLength(1);
    const [{ url, message }] = outbox as [(typeof outbox)[number]];
    expect(url).toBe(RESPONSE_URL);
    expect(message.response_type).toBe('ephemeral');
    expect(shown(message)).toContain(result.connectionStrings?.standard);
    expect(shown(message)).toContain('mongodb+srv://cluster0-pl-0-k45tj.mongodb.net/');
    expect(shown(message)).toContain('endpoint ready');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a FAILED provisioning posts the step, the code and what was undone', async () => {
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
});

describe('the NotifySlack handler', () => {
  const ready: ProvisionResult = {
    requestId: 'orders-db-app',
    status: 'READY',
    endpoint: { endpointId: 'vpce-0123456789abcdef0', state: 'available', dnsName: 'x', privateIpAddresses: [] },
    connectionStrings: { standard: 'mongodb://a:1024,a:1025/?tls=true&authSource=admin' },
  };

  it('posts the Block Kit message once to a hooks.slack.com URL', async () => {
    const post = vi.fn(async () => {});
    await expect(buildNotifySlackHandler(post)({ responseUrl: RESPONSE_URL, result: ready })).resolves.toEqual({
      posted: true,
    });
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith(RESPONSE_URL, resultMessage(ready));
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
