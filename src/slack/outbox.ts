// Where the workflow's Slack messages go when it runs locally: a line per message in
// `<stateDir>/slack-outbox.jsonl`, never the network. (In `serve`, the slash command's own follow-up
// posts to Slack; the workflow's NotifySlack is the Lambda's way, recorded here so it can be seen.)
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';
import { type SlackPoster, SlackUrlNotAllowedError } from './post.ts';
import { type ChannelPoster, channelPosterFromEnv, responseUrlLimit } from './web-api.ts';

export interface OutboxEntry {
  url: string;
  message: SlackMessage;
  /** when it was recorded (ISO 8601, the sandbox clock) */
  postedAt: string;
  /** set when the response_url could no longer take it: posted by chat.postMessage, or undelivered and why */
  via?: 'chat.postMessage';
  undelivered?: { why: string };
}

export const SLACK_OUTBOX_FILE = 'slack-outbox.jsonl';

export class SlackOutbox {
  constructor(
    private readonly stateDir: string,
    private readonly now: () => number = Date.now,
    private readonly channelPoster: ChannelPoster | undefined = channelPosterFromEnv(),
  ) {}

  get path(): string {
    return join(this.stateDir, SLACK_OUTBOX_FILE);
  }

  /** A SlackPoster that records instead of posting (refusing what postToSlack refuses). */
  // The outbox is the record of what went to each response_url, so it also counts Slack's 5 posts / 30 minutes.
  readonly post: SlackPoster = async (url, message, options) => {
    if (!url.startsWith(SLACK_HOOKS_PREFIX)) throw new SlackUrlNotAllowedError();
    const now = this.now();
    const postedAt = new Date(now).toISOString();
    const earlier = (await this.read()).filter((e) => e.url === url && !e.via && !e.undelivered);
    const first = earlier[0];
    const why = responseUrlLimit({ count: earlier.length, firstAt: first && Date.parse(first.postedAt) }, now);
    let entry: OutboxEntry = { url, message, postedAt };
    if (why && this.channelPoster && options?.channelId) {
      await this.channelPoster(options.channelId, message);
      entry = { ...entry, via: 'chat.postMessage' };
    } else if (why)
      entry = {
        ...entry,
        undelivered: { why: this.channelPoster ? `${why}; no slackChannelId` : `${why}; no bot token configured` },
      };
    await mkdir(this.stateDir, { recursive: true });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    return entry.undelivered
      ? { posted: false, undelivered: { at: postedAt, what: message.text, why: entry.undelivered.why } }
      : { posted: true, via: entry.via ?? 'response_url' };
  };

  /** The updates no one could post, for `status` (notifications.undelivered). */
  async undelivered(): Promise<{ at: string; what: string; why: string }[]> {
    return (await this.read()).flatMap((e) =>
      e.undelivered ? [{ at: e.postedAt, what: e.message.text, why: e.undelivered.why }] : [],
    );
  }

  async read(): Promise<OutboxEntry[]> {
    try {
      const text = await readFile(this.path, 'utf8');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as OutboxEntry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

export function slackOutbox(stateDir: string, now?: () => number, channelPoster?: ChannelPoster): SlackOutbox {
  return new SlackOutbox(stateDir, now, channelPoster ?? channelPosterFromEnv());
}
