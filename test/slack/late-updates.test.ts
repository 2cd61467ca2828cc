// Late Slack updates: past 5 posts or 30 minutes a response_url cannot take them; chat.postMessage with a bot
// token does, else the outbox records them undelivered with the reason.
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/slack/commands.ts';
import { slackOutbox } from '../../src/slack/outbox.ts';
import { SlackPostError } from '../../src/slack/post.ts';
import { chatPostMessage } from '../../src/slack/web-api.ts';

const URL_ = 'https://hooks.slack.com/commands/T1/2/abc';
const msg = (n: number): SlackMessage => ({
  response_type: 'ephemeral',
  text: `update ${n}`,
  blocks: [{ type: 'section' }],
});
type Seen = { method?: string; url?: string; auth?: string; type?: string; body: unknown };

let server: Server;
let base: string;
let seen: Seen[];
let answer: unknown;
beforeEach(async () => {
  seen = [];
  answer = { ok: true };
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body: JSON.parse(text),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterEach(() => new Promise<void>((r) => server.close(() => r())));

describe('late Slack updates', () => {
  it('the 6th post goes to chat.postMessage with the bot token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'late-'));
    const outbox = slackOutbox(dir, () => 0, chatPostMessage('xoxb-test', base));
    for (let n = 1; n <= 5; n++)
      expect(await outbox.post(URL_, msg(n), { channelId: 'C0123456789' })).toEqual({
        posted: true,
        via: 'response_url',
      });
    expect(seen).toEqual([]);
    expect(await outbox.post(URL_, msg(6), { channelId: 'C0123456789' })).toEqual({
      posted: true,
      via: 'chat.postMessage',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/api/chat.postMessage',
        auth: 'Bearer xoxb-test',
        type: 'application/json; charset=utf-8',
        body: { channel: 'C0123456789', text: 'update 6', blocks: [{ type: 'section' }] },
      },
    ]);
  });

  it('a post 30 minutes after the first goes to chat.postMessage', async () => {
    let now = 0;
    const outbox = slackOutbox(await mkdtemp(join(tmpdir(), 'late-')), () => now, chatPostMessage('xoxb-test', base));
    await outbox.post(URL_, msg(1), { channelId: 'C0123456789' });
    now = 30 * 60_000 + 1;
    expect(await outbox.post(URL_, msg(2), { channelId: 'C0123456789' })).toEqual({
      posted: true,
      via: 'chat.postMessage',
    });
    expect(seen).toHaveLength(1);
  });

  it('without a bot token the late post is recorded undelivered with its reason', async () => {
    let now = 0;
    const outbox = slackOutbox(await mkdtemp(join(tmpdir(), 'late-')), () => now, undefined);
    await outbox.post(URL_, msg(1));
    now = 31 * 60_000;
    const outcome = await outbox.post(URL_, msg(2));
    const undelivered = {
      at: new Date(now).toISOString(),
      what: 'update 2',
      why: 'response_url expired (30 minutes); no bot token configured',
    };
    expect(outcome).toEqual({ posted: false, undelivered });
    expect(await outbox.undelivered()).toEqual([undelivered]);
  });

  it('translates {ok:false,error:"channel_not_found"}', async () => {
    answer = { ok: false, error: 'channel_not_found' };
    const post = chatPostMessage('xoxb-test', base);
    const failure = post('C0123456789', msg(1));
    await expect(failure).rejects.toBeInstanceOf(SlackPostError);
    await expect(failure).rejects.toThrow('chat.postMessage: channel_not_found');
  });
});
