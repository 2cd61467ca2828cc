// The workflow's NotifySlack step: the final result (READY with its connection strings, FAILED with the
// step, the code and what was undone) as a Block Kit message to the request's notify.slackResponseUrl.
// The poster is injected: Lambda posts to Slack (post.ts), the local runner writes an outbox file.
import type { ProvisionResult } from '../core/domain/result.ts';
import { RequestValidationError } from '../core/errors.ts';
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';
import { type SlackPoster, SlackUrlNotAllowedError } from './post.ts';

/** The NotifySlack state's Parameters. */
export interface NotifySlackInput {
  responseUrl: string;
  result: ProvisionResult;
}

/** Slack refuses a section text over 3000 characters. */
const MAX_SECTION_TEXT = 3000;
const clip = (text: string) => (text.length > MAX_SECTION_TEXT ? `${text.slice(0, MAX_SECTION_TEXT - 1)}…` : text);
/** Slack asks for `& < >` escaped in every text; AWS messages and connection strings carry them. */
export const escapeMrkdwn = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const code = (text: string) => `\`${escapeMrkdwn(text.replaceAll('`', "'"))}\``;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text) } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text) }] });

const HEADLINES: Partial<Record<ProvisionResult['status'], string>> = {
  READY: ':white_check_mark: PrivateLink endpoint ready',
  FAILED: ':x: PrivateLink provisioning failed',
  DELETED: ':wastebasket: PrivateLink endpoint deleted',
};

/** A final result as a Block Kit message; `text` is the plain fallback notifications show. */
export function resultMessage(result: ProvisionResult): SlackMessage {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: HEADLINES[result.status] ?? result.status } },
    section(`*${escapeMrkdwn(result.requestId)}*: ${result.status}`),
  ];
  if (result.endpoint)
    blocks.push(section(`*Endpoint* ${code(result.endpoint.endpointId)} (${escapeMrkdwn(result.endpoint.state)})`));
  const strings = Object.entries(result.connectionStrings ?? {});
  if (strings.length > 0)
    blocks.push(
      section(['*Connection strings*', ...strings.map(([kind, value]) => `${kind}: ${code(value)}`)].join('\n')),
    );
  if (result.error)
    blocks.push(
      section(
        `*Failed in* ${code(result.error.step)}: ${code(result.error.code)}\n${escapeMrkdwn(result.error.message)}`,
      ),
    );
  if (result.status === 'FAILED')
    blocks.push(
      section(
        result.undone?.length
          ? ['*Undone*', ...result.undone.map((item) => `• ${escapeMrkdwn(item)}`)].join('\n')
          : '*Undone*: nothing had been created',
      ),
    );
  if (result.kept?.length) blocks.push(context(escapeMrkdwn(['Kept:', ...result.kept].join(' '))));
  const summary = result.error
    ? `${result.requestId}: FAILED in ${result.error.step} (${result.error.code})`
    : `${result.requestId}: ${result.status}`;
  return { response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(summary), blocks };
}

function readInput(event: unknown): NotifySlackInput {
  const input = (event ?? {}) as Partial<NotifySlackInput>;
  const issues = [];
  if (typeof input.responseUrl !== 'string') issues.push({ path: 'responseUrl', message: 'is required' });
  if (!input.result || typeof input.result !== 'object' || typeof input.result.requestId !== 'string')
    issues.push({ path: 'result', message: 'must be the workflow result' });
  if (issues.length > 0) throw new RequestValidationError(issues);
  return input as NotifySlackInput;
}

/**
 * The handler over a poster: posts once, only to https://hooks.slack.com/ URLs. It throws when it
 * cannot post (the state machine retries SlackUnavailableError, then carries on without the message).
 */
export function buildNotifySlackHandler(post: SlackPoster): (event: unknown) => Promise<{ posted: true }> {
  return async (event) => {
    const { responseUrl, result } = readInput(event);
    if (!responseUrl.startsWith(SLACK_HOOKS_PREFIX)) throw new SlackUrlNotAllowedError();
    await post(responseUrl, resultMessage(result));
    return { posted: true };
  };
}
