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

export type SlackPoster = (url: string, message: SlackMessage) => Promise<void>;

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
