// Where the workflow's Slack messages go when it runs locally: a line per message in
// `<stateDir>/slack-outbox.jsonl`, never the network. (In `serve`, the slash command's own follow-up
// posts to Slack; the workflow's NotifySlack is the Lambda's way, recorded here so it can be seen.)
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';
import { type SlackPoster, SlackUrlNotAllowedError } from './post.ts';

export interface OutboxEntry {
  url: string;
  message: SlackMessage;
  /** when it was recorded (ISO 8601, the sandbox clock) */
  postedAt: string;
}

export const SLACK_OUTBOX_FILE = 'slack-outbox.jsonl';

export class SlackOutbox {
  constructor(
    private readonly stateDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  get path(): string {
    return join(this.stateDir, SLACK_OUTBOX_FILE);
  }

  /** A SlackPoster that records instead of posting (refusing what postToSlack refuses). */
  readonly post: SlackPoster = async (url, message) => {
    if (!url.startsWith(SLACK_HOOKS_PREFIX)) throw new SlackUrlNotAllowedError();
    const entry: OutboxEntry = { url, message, postedAt: new Date(this.now()).toISOString() };
    await mkdir(this.stateDir, { recursive: true });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
  };

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

export function slackOutbox(stateDir: string, now?: () => number): SlackOutbox {
  return new SlackOutbox(stateDir, now);
}
