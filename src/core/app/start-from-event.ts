// A Cluster Created event starts one provisioning, named after its request id, as the HTTP API and Slack
// name theirs: EventBridge delivers at least once, and a repeat then meets Step Functions' refusal of a
// second execution of that name instead of racing the first. The request comes from the event as the
// rule's input transformer gave it (deploy/cluster-created-input.json: `{ request: detail, event }`), the
// request id from `detail.requestId` or else the event id (as the workflow's DefaultRequestId does), and it
// is validated and held to the deployment's allowlists as at the HTTP edge, before anything starts.
import type { Allowlists } from '../domain/allowlists.ts';
import { isRequestId, type ProvisionRequest, parseProvisionRequest } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { NameCollisionError, RequestNotAllowedError, RequestValidationError } from '../errors.ts';
import { enforceAllowlists } from './allowlists.ts';

/** The fields of an EventBridge event the starter reads (the rule matched source and detail-type). */
export interface ClusterCreatedEvent {
  id?: unknown;
  source?: unknown;
  'detail-type'?: unknown;
  time?: unknown;
  detail?: unknown;
}

/** What the workflow's input carries about the event (the same keys the input transformer wrote). */
export interface EventReference {
  id: string;
  source: string;
  detailType: string;
  time: string;
}

export interface ProvisionInput {
  request: ProvisionRequest;
  event: EventReference;
}

/** The step a refused event names in its FAILED result. */
export const START_STEP = 'StartFromEvent';

export type EventOutcome =
  | { kind: 'started'; requestId: string; executionArn: string }
  /** the execution of this request id exists with the same request: a repeated delivery */
  | { kind: 'repeat'; requestId: string }
  /** the request id names another request: nothing started (a retry cannot help) */
  | { kind: 'conflict'; requestId: string; message: string }
  /** invalid, or outside the allowlists: nothing started; `result` is the FAILED result published */
  | { kind: 'refused'; requestId: string; result: ProvisionResult; published: boolean };

export interface StartFromEventDeps {
  /** StartExecution named after the request id (src/core/aws/sfn.ts startProvisionExecution) */
  start(
    request: ProvisionRequest,
    input: ProvisionInput,
  ): Promise<{ kind: 'started'; executionArn: string } | { kind: 'repeat' } | { kind: 'conflict' }>;
  /** publishes a FAILED result as `Private Endpoint Failed` on `bus` (undefined: the default bus); false when not permitted */
  publishFailed(result: ProvisionResult, bus: string | undefined): Promise<boolean>;
  allowlists?: Allowlists;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function eventReference(event: ClusterCreatedEvent): EventReference {
  return {
    id: text(event.id),
    source: text(event.source),
    detailType: text(event['detail-type']),
    time: text(event.time),
  };
}

/**
 * The detail as the request, its request id defaulted to the event id when it has none (the workflow's
 * DefaultRequestId: `requestId` absent, the event's id present). A detail that is not an object stays as it is.
 */
export function requestOfEvent(event: ClusterCreatedEvent): unknown {
  const { detail } = event;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return detail;
  if ('requestId' in detail || typeof event.id !== 'string' || event.id === '') return detail;
  return { ...detail, requestId: event.id };
}

/** The id a refusal names: the detail's own when valid, else the event's (never a malformed one). */
export function refusedRequestId(event: ClusterCreatedEvent): string {
  const own = (event.detail as { requestId?: unknown } | null | undefined)?.requestId;
  if (isRequestId(own)) return own;
  return isRequestId(event.id) ? event.id : 'unknown';
}

function busOf(raw: unknown): string | undefined {
  const bus = (raw as { notify?: { eventBusName?: unknown } } | null | undefined)?.notify?.eventBusName;
  return typeof bus === 'string' && bus !== '' ? bus : undefined;
}

export async function startFromEvent(event: ClusterCreatedEvent, deps: StartFromEventDeps): Promise<EventOutcome> {
  const raw = requestOfEvent(event);
  const log = deps.log ?? (() => {});
  const refuse = async (
    error: RequestValidationError | RequestNotAllowedError | NameCollisionError,
  ): Promise<EventOutcome> => {
    const requestId = refusedRequestId(event);
    const result: ProvisionResult = {
      requestId,
      status: 'FAILED',
      error: { code: error.code, step: START_STEP, message: error.message },
      undone: [],
      kept: [],
    };
    const published = await deps.publishFailed(result, busOf(raw));
    log('warn', 'Cluster Created event refused; nothing was started', {
      requestId,
      eventId: text(event.id),
      code: error.code,
      ...('issues' in error && { issues: error.issues }),
      published,
    });
    return { kind: 'refused', requestId, result, published };
  };

  const parsed = parseProvisionRequest(raw);
  if (!parsed.ok) return refuse(new RequestValidationError(parsed.issues));
  const { request } = parsed;
  try {
    enforceAllowlists(request, deps.allowlists);
  } catch (error) {
    if (error instanceof RequestNotAllowedError) return refuse(error);
    throw error;
  }
  let start: Awaited<ReturnType<StartFromEventDeps['start']>>;
  try {
    start = await deps.start(request, { request, event: eventReference(event) });
  } catch (error) {
    // Its names are held in the VPC already: a retry cannot help, the sender is told.
    if (error instanceof NameCollisionError) return refuse(error);
    throw error;
  }
  const fields = { requestId: request.requestId, eventId: text(event.id) };
  if (start.kind === 'started') {
    log('info', 'provisioning started', { ...fields, executionArn: start.executionArn });
    return { kind: 'started', requestId: request.requestId, executionArn: start.executionArn };
  }
  if (start.kind === 'repeat') {
    log('info', 'repeated delivery: the execution of this request exists already, nothing new started', fields);
    return { kind: 'repeat', requestId: request.requestId };
  }
  const message = `request id ${request.requestId} already names a different request; nothing was started`;
  log('error', message, fields);
  return { kind: 'conflict', requestId: request.requestId, message };
}
