// The HTTP API's routes (CONTRACT.md): pure request → response over an injected WorkflowPort, so the
// same code answers in Lambda (over Step Functions) and in `privatelink serve` (over the local runner).
import { randomUUID } from 'node:crypto';
import { NothingWaitingError } from '../core/app/hand-off.ts';
import {
  errorBody,
  type HttpEvent,
  type HttpResponse,
  header,
  json,
  MAX_BODY_BYTES,
  rawBody,
} from '../core/app/http-event.ts';
import { type WorkflowPort, WorkflowsBusyError } from '../core/app/workflow-port.ts';
import { EndpointId, parseProvisionRequest } from '../core/domain/request.ts';
import {
  ConsumerEndpointRefusedError,
  type FieldIssue,
  RequestConflictError,
  RequestNotAllowedError,
  RequestNotFoundError,
  RequestRefusedError,
  RequestValidationError,
} from '../core/errors.ts';
import { statusPageResponse } from './status-page/page.ts';

export { MAX_BODY_BYTES };
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const REQUEST_ID_RULE = 'must be 1-64 characters of A-Z, a-z, 0-9, _ and -';
/** A 400 lists at most this many issues (and says how many there were), as the CLI does. */
export const MAX_ISSUES = 20;
const MAX_ISSUE_TEXT = 200;
/** Seconds a caller should wait after a 503 (Step Functions throttling its API or executions). */
export const RETRY_AFTER_SECONDS = 5;

export interface HttpDeps {
  workflows: WorkflowPort;
  /** where a 500's details go (never into the body) */
  logError?: (correlationId: string, error: unknown) => void;
  /** the Slack route, when this server answers it too */
  slack?: (event: HttpEvent) => Promise<HttpResponse>;
  /** the status page at `GET /`: how often it polls `GET /endpoints` (default 1 s) */
  statusPage?: { pollMs?: number };
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const clip = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}…` : text);

/** The first MAX_ISSUES issues, each clipped (paths can echo a caller's field names), and how many there were. */
export function boundedIssues(issues: FieldIssue[]): { issues: FieldIssue[]; issueCount: number } {
  return {
    issues: issues.slice(0, MAX_ISSUES).map((i) => ({ path: clip(i.path), message: clip(i.message) })),
    issueCount: issues.length,
  };
}

function invalid(issues: FieldIssue[]): HttpError {
  const more = issues.length > MAX_ISSUES ? ` (${issues.length} issues; the first ${MAX_ISSUES} are listed)` : '';
  return new HttpError(400, 'InvalidRequest', `the request is invalid; nothing was created${more}`, {
    ...boundedIssues(issues),
  });
}

/** A coded error's message without its leading "<code>: " (the body carries the code on its own). */
const withoutCode = (error: { code: string; message: string }) =>
  error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : error.message;

/** A path as a message may quote it: bounded, so a 404 never echoes kilobytes back. */
const shownPath = (path: string) => (path.length > 100 ? `${path.slice(0, 100)}…` : path);

/** The JSON body of a POST: 413 past 64 KB, 415 when not JSON, 400 when it does not parse. */
function jsonBody(event: HttpEvent): unknown {
  const bytes = rawBody(event);
  if (bytes.length > MAX_BODY_BYTES)
    throw new HttpError(413, 'PayloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type))
    throw new HttpError(415, 'UnsupportedMediaType', 'send the body as application/json');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid([{ path: '', message: 'the body is not valid JSON' }]);
  }
}

/** `{requestId}` from the path: 400 naming the rule when it cannot be a request id (so it never reaches a port). */
function requestIdParam(value: string): string {
  let id: string;
  try {
    id = decodeURIComponent(value);
  } catch {
    throw invalid([{ path: 'requestId', message: 'is not valid percent-encoding' }]);
  }
  if (!REQUEST_ID.test(id)) throw invalid([{ path: 'requestId', message: `${REQUEST_ID_RULE} (in the path)` }]);
  return id;
}

async function createEndpoint(event: HttpEvent, deps: HttpDeps): Promise<HttpResponse> {
  const raw = jsonBody(event);
  const key = header(event, 'idempotency-key');
  let body = raw;
  if (key !== undefined && raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const given = (raw as { requestId?: unknown }).requestId;
    if (!REQUEST_ID.test(key)) throw invalid([{ path: 'Idempotency-Key', message: REQUEST_ID_RULE }]);
    if (given !== undefined && given !== key)
      throw invalid([{ path: 'requestId', message: 'differs from the Idempotency-Key header' }]);
    body = { ...raw, requestId: key };
  }
  const parsed = parseProvisionRequest(body);
  if (!parsed.ok) throw invalid(parsed.issues);
  const { started, result } = await deps.workflows.startProvision(parsed.request);
  const requestId = parsed.request.requestId;
  return json(started ? 202 : 200, { requestId, status: result.status }, { location: `/endpoints/${requestId}` });
}

async function getEndpoint(id: string, deps: HttpDeps): Promise<HttpResponse> {
  const result = await deps.workflows.getResult(requestIdParam(id));
  if (!result) throw new HttpError(404, 'NotFound', 'no such request');
  return json(200, result);
}

async function listEndpoints(event: HttpEvent, deps: HttpDeps): Promise<HttpResponse> {
  const query = event.queryStringParameters ?? {};
  const issues: FieldIssue[] = [];
  const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    issues.push({ path: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  const next = query.next;
  if (next !== undefined && !/^[A-Za-z0-9_\-+/=]{1,4096}$/.test(next))
    issues.push({ path: 'next', message: 'is not a page token' });
  if (issues.length > 0) throw invalid(issues);
  return json(200, await deps.workflows.listResults({ limit, ...(next !== undefined && { next }) }));
}

async function deleteEndpoint(id: string, deps: HttpDeps): Promise<HttpResponse> {
  const requestId = requestIdParam(id);
  const result = await deps.workflows.startTeardown(requestId);
  if (!result) throw new HttpError(404, 'NotFound', 'no such request');
  return json(202, { requestId, status: result.status }, { location: `/endpoints/${requestId}` });
}

async function finalizeEndpoint(id: string, event: HttpEvent, deps: HttpDeps): Promise<HttpResponse> {
  const requestId = requestIdParam(id);
  const body = jsonBody(event);
  const endpointId = (body as { endpointId?: unknown } | null)?.endpointId;
  const parsed = EndpointId.safeParse(endpointId);
  if (!parsed.success)
    throw invalid([
      {
        path: 'endpointId',
        message: endpointId === undefined ? 'is required' : (parsed.error.issues[0]?.message ?? 'is invalid'),
      },
    ]);
  const dnsName = (body as { dnsName?: unknown } | null)?.dnsName;
  if (dnsName !== undefined && (typeof dnsName !== 'string' || !/^vpce-[0-9a-z-]+(\.[a-z0-9-]+)+\.?$/i.test(dnsName)))
    throw invalid([{ path: 'dnsName', message: "must be the endpoint's DNS name (vpce-….vpce.amazonaws.com)" }]);
  const current = await deps.workflows.getResult(requestId);
  if (!current) throw new HttpError(404, 'NotFound', 'no such request');
  try {
    await deps.workflows.finalize(
      requestId,
      parsed.data,
      typeof dnsName === 'string' ? dnsName.toLowerCase().replace(/\.$/, '') : undefined,
    );
  } catch (error) {
    if (!(error instanceof ConsumerEndpointRefusedError)) throw error;
    // The workflow never saw it and goes on waiting: say so, with the endpoint that was refused.
    throw new HttpError(
      error.code === 'InvalidEndpointId' ? 400 : 409,
      error.code,
      `${withoutCode(error)}; request ${requestId} goes on waiting for the other party's endpoint`,
      { endpointId: parsed.data, status: 'WAITING_FOR_CONSUMER' },
    );
  }
  return json(202, { requestId, status: 'PROVISIONING' }, { location: `/endpoints/${requestId}` });
}

type Route = {
  method: string;
  pattern: RegExp;
  run: (event: HttpEvent, deps: HttpDeps, id: string) => Promise<HttpResponse>;
};

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/$/, run: async (_e, d) => statusPageResponse(d.statusPage) },
  { method: 'POST', pattern: /^\/endpoints\/?$/, run: (e, d) => createEndpoint(e, d) },
  { method: 'GET', pattern: /^\/endpoints\/?$/, run: (e, d) => listEndpoints(e, d) },
  { method: 'GET', pattern: /^\/endpoints\/([^/]+)$/, run: (_e, d, id) => getEndpoint(id, d) },
  { method: 'DELETE', pattern: /^\/endpoints\/([^/]+)$/, run: (_e, d, id) => deleteEndpoint(id, d) },
  { method: 'POST', pattern: /^\/endpoints\/([^/]+)\/finalize$/, run: (e, d, id) => finalizeEndpoint(id, e, d) },
];

/** Answers one HTTP API event. Never throws; a 500 carries only a correlation id. */
export async function handleHttp(event: HttpEvent, deps: HttpDeps): Promise<HttpResponse> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  try {
    if (path === '/slack/commands' && deps.slack) {
      if (method !== 'POST')
        return json(405, errorBody('MethodNotAllowed', `${method} is not allowed on /slack/commands; use POST`), {
          allow: 'POST',
        });
      return await deps.slack(event);
    }
    const matching = ROUTES.map((r) => ({ route: r, match: r.pattern.exec(path) })).filter((m) => m.match);
    const hit = matching.find((m) => m.route.method === method);
    if (!hit) {
      if (matching.length > 0)
        return json(405, errorBody('MethodNotAllowed', `${method} is not allowed on ${shownPath(path)}`), {
          allow: matching.map((m) => m.route.method).join(', '),
        });
      throw new HttpError(404, 'NotFound', `no route ${method} ${shownPath(path)}`);
    }
    return await hit.route.run(event, deps, hit.match?.[1] ?? '');
  } catch (error) {
    const http = error instanceof RequestValidationError ? invalid(error.issues) : error;
    if (http instanceof HttpError) return json(http.statusCode, errorBody(http.code, http.message, http.extra));
    if (error instanceof RequestConflictError) return json(409, errorBody(error.code, error.message));
    if (error instanceof NothingWaitingError) return json(409, errorBody(error.code, error.message));
    if (error instanceof RequestRefusedError) return refused(error);
    if (error instanceof WorkflowsBusyError)
      return json(503, errorBody(error.code, error.message), { 'retry-after': String(RETRY_AFTER_SECONDS) });
    const correlationId = randomUUID();
    (deps.logError ?? defaultLogError)(correlationId, error);
    return json(500, errorBody('InternalError', 'internal error', { correlationId }));
  }
}

/** Logs only; a 500's body carries the correlation id and nothing of the error. */
function defaultLogError(correlationId: string, error: unknown): void {
  console.error(JSON.stringify({ level: 'ERROR', message: 'unhandled error', correlationId, error: String(error) }));
}

/** Refusals from the use cases: 404 unknown, 403 outside the deployment's allowlists, 409 otherwise. */
function refused(error: RequestRefusedError): HttpResponse {
  if (error instanceof RequestNotFoundError) return json(404, errorBody(error.code, error.message));
  if (error instanceof RequestNotAllowedError)
    return json(
      403,
      errorBody(error.code, 'the request is outside what this deployment allows', boundedIssues(error.issues)),
    );
  return json(409, errorBody(error.code, error.message));
}
