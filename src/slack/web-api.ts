// Slack's Web API, for the updates a response_url can no longer take: chat.postMessage with a bot token.
// https://api.slack.com/methods/chat.postMessage — Slack answers HTTP 200 with {ok:false,error} on failure.
import type { SlackMessage } from './commands.ts';
import { SlackPostError, SlackUnavailableError } from './post.ts';

export const SLACK_API_BASE_URL = 'https://slack.com/api';

/** Slack documents a response_url as good for 5 responses within 30 minutes of the command. */
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export type LateReason = 'response_url expired (30 minutes)' | '5 posts used';

/** Why the next post can no longer go to the response_url (given earlier posts to it), or undefined. */
export function responseUrlLimit(posts: { count: number; firstAt?: number }, now: number): LateReason | undefined {
  if (posts.firstAt !== undefined && now - posts.firstAt > RESPONSE_URL_LIFETIME_MS)
    return 'response_url expired (30 minutes)';
  if (posts.count >= RESPONSE_URL_MAX_POSTS) return '5 posts used';
  return undefined;
}

export type ChannelPoster = (channel: string, message: SlackMessage) => Promise<void>;

/** A chat.postMessage poster over a bot token (xoxb-…). */
export function chatPostMessage(token: string, baseUrl: string = SLACK_API_BASE_URL): ChannelPoster {
  return async (channel, message) => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl.replace(/\/$/, '')}/chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
        body: JSON.stringify({ channel, text: message.text, blocks: message.blocks }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      throw new SlackUnavailableError(`Slack could not be reached: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 429 || response.status >= 500)
      throw new SlackUnavailableError(`Slack answered ${response.status} to chat.postMessage`);
    if (!response.ok) throw new SlackPostError(`Slack answered ${response.status} to chat.postMessage`);
    const body = (await response.json().catch(() => ({}))) as { ok?: unknown; error?: unknown };
    if (body.ok !== true) {
      const error = typeof body.error === 'string' ? body.error : 'unknown_error';
      if (error === 'ratelimited') throw new SlackUnavailableError('chat.postMessage: ratelimited');
      throw new SlackPostError(`chat.postMessage: ${error}`);
    }
  };
}

/** The bot-token poster from the environment (SLACK_BOT_TOKEN, SLACK_API_BASE_URL), or undefined. */
export function channelPosterFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelPoster | undefined {
  const token = env.SLACK_BOT_TOKEN;
  return token ? chatPostMessage(token, env.SLACK_API_BASE_URL || SLACK_API_BASE_URL) : undefined;
}
