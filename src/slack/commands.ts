// The `/privatelink` slash command: verify Slack's signature, parse the subcommand, acknowledge at
// once with an ephemeral message, and post progress and the result to `response_url` afterwards.
import { randomUUID } from 'node:crypto';
import {
  errorBody,
  type HttpEvent,
  type HttpResponse,
  header,
  json,
  MAX_BODY_BYTES,
  rawBody,
} from '../core/app/http-event.ts';
import { NothingWaitingError, type WorkflowPort, WorkflowsBusyError } from '../core/app/workflow-port.ts';
import { EndpointId, parseProvisionRequest } from '../core/domain/request.ts';
import type { ProvisionResult } from '../core/domain/result.ts';
import {
  RequestConflictError,
  RequestRefusedError,
  RequestValidationError,
  TransientAwsError,
} from '../core/errors.ts';
import { MemoryReplayStore, type ReplayStore, replayWindowEnd } from './replay.ts';
import { verifySlackSignature } from './signature.ts';

export interface SlackProfile {
  description?: string;
  request: Record<string, unknown>;
}

export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  text: string;
  blocks?: unknown[];
}

export interface SlackDeps {
  workflows: WorkflowPort;
  signingSecret: () => Promise<string>;
  profiles: Record<string, SlackProfile>;
  /** POSTs a message to a response_url (only ever called with https://hooks.slack.com/ URLs) */
  post: (url: string, message: SlackMessage) => Promise<unknown>;
  /** runs work after the acknowledgement; in serve it continues in the background */
  background?: (work: Promise<unknown>) => void;
  /** epoch ms; injectable so Slack's published example verifies */
  now?: () => number;
  /**
   * remembers the signed requests answered, so a replay within the signing window is answered once:
   * FileReplayStore in `serve` (every process on the state directory), a table in AWS. Without one,
   * these deps remember in memory (one process: a Lambda container, a server).
   */
  replays?: ReplayStore;
  /** how often the follow-up polls the result, ms */
  pollMs?: number;
  logError?: (error: unknown) => void;
}

export const SLACK_HOOKS_PREFIX = 'https://hooks.slack.com/';
/** Longer command text than a person types; answered with an ephemeral refusal, never parsed. */
export const MAX_TEXT_CHARS = 2000;
const TERMINAL: ProvisionResult['status'][] = ['READY', 'FAILED', 'DELETED', 'WAITING_FOR_CONSUMER'];

export const HELP = [
  '*/privatelink* — PrivateLink endpoints, private DNS and connection strings',
  '• `/privatelink provision <profile> <request-id> [path=value …]` — start from a named profile',
  '• `/privatelink status <request-id>` — the result as it stands (with the connection strings when READY)',
  '• `/privatelink delete <request-id>` — tear it down',
  '• `/privatelink finalize <request-id> <vpce-id>` — report the other party’s endpoint to a waiting request',
  '• `/privatelink help` — this text',
].join('\n');

export function ephemeral(text: string): SlackMessage {
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** A result as Slack mrkdwn: status, where it failed, the connection strings. */
export function describeResult(result: ProvisionResult): string {
  const lines = [`*${result.requestId}*: ${result.status}${result.currentStep ? ` (${result.currentStep})` : ''}`];
  if (result.endpoint) lines.push(`endpoint \`${result.endpoint.endpointId}\` ${result.endpoint.state}`);
  if (result.error)
    lines.push(`failed in ${result.error.step}: \`${result.error.code}\` ${quoted(result.error.message, 500)}`);
  for (const [kind, value] of Object.entries(result.connectionStrings ?? {})) lines.push(`${kind}: \`${value}\``);
  if (result.status === 'WAITING_FOR_CONSUMER')
    lines.push(`waiting for the other party: \`/privatelink finalize ${result.requestId} <vpce-id>\``);
  return lines.join('\n');
}

/** `path=value` into a copy of `base`; values that parse as JSON (numbers, arrays, booleans) are used as such. */
export function applyOverrides(base: Record<string, unknown>, overrides: string[]): Record<string, unknown> {
  const out = structuredClone(base);
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new SlackUsageError(`\`${quoted(override)}\` is not path=value`);
    const path = override.slice(0, eq).split('.');
    const text = override.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a plain string
    }
    let node: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) {
      if (key === '__proto__' || key === 'constructor') throw new SlackUsageError(`bad path ${quoted(path.join('.'))}`);
      const child = node[key];
      node[key] = child && typeof child === 'object' && !Array.isArray(child) ? child : {};
      node = node[key] as Record<string, unknown>;
    }
    const last = path.at(-1) ?? '';
    if (last === '__proto__' || last === 'constructor') throw new SlackUsageError(`bad path ${quoted(path.join('.'))}`);
    node[last] = value;
  }
  return out;
}

class SlackUsageError extends Error {}

/**
 * Something the user typed, as an ephemeral message may quote it: bounded, backticks dropped (it sits
 * in a code span) and `& < >` escaped as Slack asks, so it cannot mention @channel or hide a link.
 */
export function quoted(text: string, max = 64): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return short.replaceAll('`', '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const unauthorized = (reason: string) => json(401, errorBody('Unauthorized', reason));
/** The in-memory store of deps that bring none, one per deps object (so per server or container). */
const defaultReplays = new WeakMap<SlackDeps, ReplayStore>();

function replaysOf(deps: SlackDeps): ReplayStore {
  if (deps.replays) return deps.replays;
  let store = defaultReplays.get(deps);
  if (!store) {
    store = new MemoryReplayStore();
    defaultReplays.set(deps, store);
  }
  return store;
}
const FORM = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

export async function handleSlackCommand(event: HttpEvent, deps: SlackDeps): Promise<HttpResponse> {
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES)
    return json(413, errorBody('PayloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`));
  let secret: string;
  try {
    secret = await deps.signingSecret();
  } catch (error) {
    const correlationId = randomUUID();
    deps.logError?.(Object.assign(new Error(`signing secret unavailable (${correlationId})`), { cause: error }));
    return json(500, { error: { code: 'InternalError', message: 'internal error', correlationId } });
  }
  const timestamp = header(event, 'x-slack-request-timestamp');
  const signature = header(event, 'x-slack-signature');
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const check = verifySlackSignature({ secret, timestamp, signature, rawBody: body, nowSeconds });
  if (check === 'missing') return unauthorized('the request is not signed');
  if (check === 'malformed') return unauthorized('the X-Slack-Request-Timestamp header is not a Unix time in seconds');
  if (check === 'stale') return unauthorized('the request timestamp is more than five minutes off');
  if (check !== 'valid' || timestamp === undefined || signature === undefined)
    return unauthorized('the signature does not match');
  // Claimed only once verified, so unsigned traffic cannot fill the store.
  let first: boolean;
  try {
    first = await replaysOf(deps).claim({ timestamp, signature }, replayWindowEnd(timestamp), nowSeconds);
  } catch (error) {
    // The replay store is throttled or down: unchecked, the command must not run (a replay could).
    if (!(error instanceof TransientAwsError)) throw error;
    return json(
      200,
      ephemeral('This command could not be checked against replays just now; nothing was started. Try again.'),
    );
  }
  if (!first) return unauthorized('this signed request was received already; a replay is not answered again');

  // Signed, so from Slack (or whoever holds the secret): the rest is what Slack always sends.
  if (!FORM.test(header(event, 'content-type') ?? ''))
    return json(415, errorBody('UnsupportedMediaType', 'send the slash command as application/x-www-form-urlencoded'));
  const form = new URLSearchParams(body.toString('utf8'));
  const responseUrl = form.get('response_url') ?? '';
  if (!form.get('command')) return json(400, errorBody('InvalidRequest', 'the form has no command field'));
  if (!responseUrl.startsWith(SLACK_HOOKS_PREFIX))
    return json(400, errorBody('InvalidRequest', `response_url must be a ${SLACK_HOOKS_PREFIX} URL`));
  const text = form.get('text') ?? '';
  if (text.length > MAX_TEXT_CHARS)
    return json(200, ephemeral(`The command text is longer than ${MAX_TEXT_CHARS} characters; nothing was started.`));
  const words = text.trim().split(/\s+/).filter(Boolean);
  try {
    return json(200, await dispatch(words, responseUrl, deps));
  } catch (error) {
    if (error instanceof SlackUsageError) return json(200, ephemeral(`${error.message}\n\n${HELP}`));
    // The project's refusals carry messages meant for the caller; anything else stays in the log.
    if (
      error instanceof RequestConflictError ||
      error instanceof NothingWaitingError ||
      error instanceof RequestRefusedError ||
      error instanceof WorkflowsBusyError
    )
      return json(200, ephemeral(error.message));
    if (error instanceof RequestValidationError)
      return json(200, ephemeral(`The request is invalid; nothing was created:\n${bullets(error.issues)}`));
    deps.logError?.(error);
    return json(200, ephemeral('Something went wrong on our side; the request was not started.'));
  }
}

/** At most 20 issues as Slack bullets, quoted (paths can echo field names the user typed). */
function bullets(issues: { path: string; message: string }[]): string {
  const shown = issues.slice(0, 20).map((i) => `• \`${quoted(i.path, 100)}\`: ${quoted(i.message, 200)}`);
  if (issues.length > 20) shown.push(`… and ${issues.length - 20} more`);
  return shown.join('\n');
}

async function dispatch(words: string[], responseUrl: string, deps: SlackDeps): Promise<SlackMessage> {
  const [sub, ...rest] = words;
  const id = (value: string | undefined, what = 'a request id') => {
    if (!value || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new SlackUsageError(`give ${what}`);
    return value;
  };
  switch (sub) {
    case undefined:
    case 'help':
      return ephemeral(HELP);
    case 'status': {
      const result = await deps.workflows.getResult(id(rest[0]));
      return ephemeral(result ? describeResult(result) : `No request ${rest[0]}.`);
    }
    case 'provision': {
      const [profileName, requestId, ...overrides] = rest;
      const profile = profileName === undefined ? undefined : deps.profiles[profileName];
      if (!profile)
        throw new SlackUsageError(
          `give a profile: ${Object.keys(deps.profiles)
            .map((p) => `\`${p}\``)
            .join(', ')}`,
        );
      const raw = applyOverrides({ ...profile.request, requestId: id(requestId) }, overrides);
      if (responseUrl.startsWith(SLACK_HOOKS_PREFIX))
        raw.notify = { ...(raw.notify as object | undefined), slackResponseUrl: responseUrl };
      const parsed = parseProvisionRequest(raw);
      if (!parsed.ok) return ephemeral(`The request is invalid; nothing was created:\n${bullets(parsed.issues)}`);
      const { started, result } = await deps.workflows.startProvision(parsed.request);
      followUp(parsed.request.requestId, responseUrl, deps);
      return ephemeral(
        started
          ? `Provisioning *${parsed.request.requestId}* from \`${profileName}\`; I will post the result here.`
          : `*${parsed.request.requestId}* exists already: ${result.status}.`,
      );
    }
    case 'delete': {
      const requestId = id(rest[0]);
      const result = await deps.workflows.startTeardown(requestId);
      if (!result) return ephemeral(`No request ${requestId}.`);
      followUp(requestId, responseUrl, deps);
      return ephemeral(`Tearing down *${requestId}*; I will post here when it is gone.`);
    }
    case 'finalize': {
      const requestId = id(rest[0]);
      const endpoint = EndpointId.safeParse(rest[1]);
      if (!endpoint.success) throw new SlackUsageError('give the endpoint id: vpce- and 8 or 17 hex characters');
      if (!(await deps.workflows.getResult(requestId))) return ephemeral(`No request ${requestId}.`);
      await deps.workflows.finalize(requestId, endpoint.data);
      followUp(requestId, responseUrl, deps, ['READY', 'FAILED']);
      return ephemeral(`Accepting \`${endpoint.data}\` for *${requestId}*; I will post the result here.`);
    }
    default:
      throw new SlackUsageError(`unknown subcommand \`${quoted(sub)}\``);
  }
}

/**
 * Posts the outcome to response_url once the request settles (serve, or wherever background work
 * outlives the response). Only hooks.slack.com URLs are ever posted to.
 */
function followUp(requestId: string, responseUrl: string, deps: SlackDeps, stopAt = TERMINAL): void {
  if (!deps.background || !responseUrl.startsWith(SLACK_HOOKS_PREFIX)) return;
  const pollMs = deps.pollMs ?? 1000;
  deps.background(
    (async () => {
      let last: string | undefined;
      // Slack accepts up to five posts to one response_url within 30 minutes.
      for (let posts = 0; posts < 5; ) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const result = await deps.workflows.getResult(requestId);
        if (!result) return;
        const text = describeResult(result);
        if (result.status !== last && (stopAt.includes(result.status) || posts < 3)) {
          await deps.post(responseUrl, ephemeral(text));
          posts++;
          last = result.status;
        }
        if (stopAt.includes(result.status)) return;
      }
    })(),
  );
}
