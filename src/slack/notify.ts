// The workflow's NotifySlack steps, as Block Kit messages to the request's notify.slackResponseUrl: progress
// when the workflow starts waiting (for the endpoint, for Route 53, for the other party), then the final
// result (READY with its connection strings, FAILED with the step, the code and what was undone). The
// state's Parameters name the message `kind`. The poster is injected: Lambda posts to Slack (post.ts), the
// local runner writes an outbox file.
import * as z from 'zod';
import { zodIssues } from '../core/domain/request.ts';
import type { ProvisionResult } from '../core/domain/result.ts';
import { RequestValidationError } from '../core/errors.ts';
import { SLACK_HOOKS_PREFIX, type SlackMessage } from './commands.ts';
import { type PostOutcome, type SlackPoster, SlackUrlNotAllowedError } from './post.ts';

const Text = z.string().min(1).max(2048);

/** CreateInterfaceEndpoint made (or found) the endpoint; WaitForEndpoint comes next. */
const EndpointCreated = z.object({
  kind: z.literal('endpointCreated'),
  requestId: Text,
  endpointId: Text,
  vpcId: Text,
  serviceName: Text.optional(),
});

/** UpsertDnsRecords wrote the records, right after the endpoint was created; CheckEndpoint follows both. */
const DnsWritten = z.object({
  kind: z.literal('dnsWritten'),
  requestId: Text,
  endpointId: Text,
  zones: z.array(z.object({ name: Text })),
});

/** consumer.external: the service allows the other party, and WaitForConsumer waits for its endpoint. */
const WaitingForConsumer = z.object({
  kind: z.literal('waitingForConsumer'),
  requestId: Text,
  serviceName: Text,
  accountId: Text.optional(),
});

/** The final result (the kind the first NotifySlack states sent without naming it). */
const FinalResult = z.object({
  kind: z.literal('result'),
  result: z.looseObject({ requestId: Text, status: Text }),
});

const MessageInput = z.discriminatedUnion('kind', [EndpointCreated, DnsWritten, WaitingForConsumer, FinalResult]);

export type ProgressInput =
  | z.infer<typeof EndpointCreated>
  | z.infer<typeof DnsWritten>
  | z.infer<typeof WaitingForConsumer>;

/** The NotifySlack states' Parameters: where to post, and which message (`kind`, default `result`). */
export type NotifySlackInput = { responseUrl: string } & (ProgressInput | { kind?: 'result'; result: ProvisionResult });

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

const progress = (emoji: string, requestId: string, text: string, plain: string, note?: string): SlackMessage => ({
  response_type: 'ephemeral',
  replace_original: false,
  text: escapeMrkdwn(`${requestId}: ${plain}`),
  blocks: [section(`${emoji} *${escapeMrkdwn(requestId)}*: ${text}`), ...(note ? [context(note)] : [])],
});

/** A progress message: what happened and what the workflow waits for now. */
export function progressMessage(input: ProgressInput): SlackMessage {
  switch (input.kind) {
    case 'endpointCreated':
      return progress(
        ':hourglass_flowing_sand:',
        input.requestId,
        `endpoint ${code(input.endpointId)} created in ${code(input.vpcId)}, waiting for it to become available`,
        `endpoint ${input.endpointId} created in ${input.vpcId}, waiting for it to become available`,
        input.serviceName && `Service ${code(input.serviceName)}`,
      );
    case 'dnsWritten': {
      const zones = input.zones.map((zone) => zone.name);
      return progress(
        ':hourglass_flowing_sand:',
        input.requestId,
        `private DNS written to ${zones.map(code).join(', ')}; waiting for endpoint ${code(input.endpointId)} to become available and Route 53 to apply the records`,
        `private DNS written to ${zones.join(', ')}; waiting for endpoint ${input.endpointId} to become available and Route 53 to apply the records`,
      );
    }
    case 'waitingForConsumer':
      return progress(
        ':hourglass:',
        input.requestId,
        `waiting for the other party's endpoint to service ${code(input.serviceName)}${input.accountId ? ` (account ${code(input.accountId)} may connect)` : ''}`,
        `waiting for the other party's endpoint to service ${input.serviceName}`,
        `Once they have created it: ${code(`/privatelink finalize ${input.requestId} <vpce-id>`)}`,
      );
  }
}

const CHANNEL_ID = /^[CDG][A-Z0-9]{8,12}$/;

/** The channel for late updates: `channelId`, or `notify.slackChannelId` if the state passes the request's notify. */
function channelOf(event: unknown): string | undefined {
  const raw = (event && typeof event === 'object' ? event : {}) as {
    channelId?: unknown;
    notify?: { slackChannelId?: unknown };
  };
  const id = raw.channelId ?? raw.notify?.slackChannelId;
  return typeof id === 'string' && CHANNEL_ID.test(id) ? id : undefined;
}

function readInput(event: unknown): { responseUrl: string; message: SlackMessage } {
  const raw = (event && typeof event === 'object' ? event : {}) as { responseUrl?: unknown; kind?: unknown };
  const responseUrl = raw.responseUrl;
  const parsed = MessageInput.safeParse({ ...raw, kind: raw.kind ?? 'result' });
  const issues = parsed.success ? [] : zodIssues(parsed.error);
  if (typeof responseUrl !== 'string') issues.unshift({ path: 'responseUrl', message: 'is required' });
  if (!parsed.success || typeof responseUrl !== 'string') throw new RequestValidationError(issues);
  const input = parsed.data;
  const message =
    input.kind === 'result' ? resultMessage(input.result as unknown as ProvisionResult) : progressMessage(input);
  return { responseUrl, message };
}

/**
 * The handler over a poster: posts once, only to https://hooks.slack.com/ URLs. It throws when it
 * cannot post (the state machine retries SlackUnavailableError, then carries on without the message).
 */
export function buildNotifySlackHandler(post: SlackPoster): (event: unknown) => Promise<PostOutcome> {
  return async (event) => {
    const { responseUrl, message } = readInput(event);
    if (!responseUrl.startsWith(SLACK_HOOKS_PREFIX)) throw new SlackUrlNotAllowedError();
    const channelId = channelOf(event);
    return (await post(responseUrl, message, channelId ? { channelId } : {})) ?? { posted: true, via: 'response_url' };
  };
}
