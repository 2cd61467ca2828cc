// Posts a message to a Slack response_url. Refuses anything but https://hooks.slack.com/.
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';

export async function postToSlack(url: string, message: SlackMessage): Promise<void> {
  if (!url.startsWith(SLACK_HOOKS_PREFIX)) throw new Error('refusing to post outside https://hooks.slack.com/');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Slack answered ${response.status} to a response_url post`);
}
