// Posts a message to a Slack response_url. Refuses anything but https://hooks.slack.com/.
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';

/** Where a message would go is not a Slack hooks URL: nothing was sent. */
export class SlackUrlNotAllowedError extends Error {
  override readonly name = 'SlackUrlNotAllowedError' as const;
  constructor() {
    super('refusing to post outside https://hooks.slack.com/');
  }
}

/** Slack did not take the message now (network, 429, 5xx): the workflow may retry. */
export class SlackUnavailableError extends Error {
  override readonly name = 'SlackUnavailableError' as const;
}

/** Slack refused the message (4xx: expired or used-up response_url, bad payload): retrying cannot help. */
export class SlackPostError extends Error {
  override readonly name = 'SlackPostError' as const;
}

/** Where a late update may go instead: the request's Slack channel (notify.slackChannelId). */
export interface PostOptions {
  channelId?: string;
}

/** What became of a message: posted (to the response_url or, late, by chat.postMessage) or not. */
export type PostOutcome =
  | { posted: true; via: 'response_url' | 'chat.postMessage' }
  | { posted: false; undelivered: { at: string; what: string; why: string } };

/** Posts a message; a poster that knows only response_url returns nothing (posted to it). */
export type SlackPoster = (url: string, message: SlackMessage, options?: PostOptions) => Promise<PostOutcome | void>;

export const postToSlack: SlackPoster = async (url, message) => {
  if (!url.startsWith(SLACK_HOOKS_PREFIX)) throw new SlackUrlNotAllowedError();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new SlackUnavailableError(`Slack could not be reached: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 429 || response.status >= 500)
    throw new SlackUnavailableError(`Slack answered ${response.status} to a response_url post`);
  if (!response.ok) throw new SlackPostError(`Slack answered ${response.status} to a response_url post`);
};
