// `Private Endpoint Failed` on every terminal path. The workflows publish it themselves after the undo
// (PublishFailed, PublishCompensationFailed), but some ends bypass every Catch: the execution's own
// TimeoutSeconds (TIMED_OUT), StopExecution (ABORTED), and failures States.ALL does not catch
// (States.Runtime, States.DataLimitExceeded, the 25,000-event history limit), and the teardown workflow
// publishes no Failed event at all. In AWS a rule on Step Functions' status changes hands those ends to
// functions/publish-terminal-failure.ts; locally the runner does the same (src/core/runner/local-runner.ts).
// These are the decisions both share: whether the workflow already published, and what the event says.
import { isRequestId } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { resultOf } from '../runner/results.ts';

export type TerminalStatus = 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** A closed execution as Step Functions' status-change event (or the local runner) describes it. */
export interface TerminalExecution {
  workflow: 'provision' | 'teardown';
  /** the execution's name: the request id (`<id>-teardown` for teardown; `-2`, `-3` for local re-runs) */
  name: string;
  status: TerminalStatus;
  /** the execution input, parsed; undefined when the event left it out (over EventBridge's size) */
  input?: unknown;
  error?: string;
  cause?: string;
  startedAt?: string;
  stoppedAt?: string;
}

/** The code a FAILED result names for an end that no step chose. */
export const TIMED_OUT_CODE = 'ExecutionTimedOut';
export const ABORTED_CODE = 'ExecutionAborted';
/** The step it names: the execution itself, not one of its states. */
export const EXECUTION_STEP = 'Execution';

function isFailedResultJson(cause: string | undefined): boolean {
  if (!cause?.startsWith('{')) return false;
  try {
    const parsed = JSON.parse(cause) as { status?: unknown; requestId?: unknown; error?: unknown };
    return parsed.status === 'FAILED' && typeof parsed.requestId === 'string' && typeof parsed.error === 'object';
  } catch {
    return false;
  }
}

const inputRequest = (input: unknown) =>
  (input as { request?: { requestId?: unknown; notify?: { eventBusName?: unknown } } } | null | undefined)?.request;

/**
 * Whether the workflow's own path published the Failed event before ending: only the provisioning
 * workflow's two Fail states are reached after a publish state. ProvisioningFailed's Cause is the FAILED
 * result as JSON (after PublishFailed); CompensationFailed's Error is its name (after
 * PublishCompensationFailed, which a request without an id skips). Any other end published nothing.
 */
export function publishedByWorkflow(execution: TerminalExecution): boolean {
  if (execution.workflow !== 'provision' || execution.status !== 'FAILED') return false;
  if (execution.error === 'CompensationFailed') return inputRequest(execution.input)?.requestId !== undefined;
  return isFailedResultJson(execution.cause);
}

/** The request an execution is about: its input's request id, the event id it defaulted to, else its name. */
export function requestIdOfExecution(execution: Pick<TerminalExecution, 'workflow' | 'name' | 'input'>): string {
  const fromInput = inputRequest(execution.input)?.requestId;
  if (isRequestId(fromInput)) return fromInput;
  const eventId = (execution.input as { event?: { id?: unknown } } | null | undefined)?.event?.id;
  if (isRequestId(eventId)) return eventId;
  const name = execution.workflow === 'teardown' ? execution.name.replace(/-teardown(-\d+)?$/, '') : execution.name;
  return isRequestId(name) ? name : 'unknown';
}

/** The bus the request asked for (notify.eventBusName), undefined for the default one. */
export function eventBusOfExecution(execution: Pick<TerminalExecution, 'input'>): string | undefined {
  const bus = inputRequest(execution.input)?.notify?.eventBusName;
  return typeof bus === 'string' && bus !== '' ? bus : undefined;
}

/**
 * The FAILED result the event carries, or undefined when the workflow published one already. A FAILED
 * end reads as `status` and GET read it (src/core/runner/results.ts); a timeout or a stop names the
 * execution, and since nothing was undone, says what to run.
 */
export function terminalFailureResult(execution: TerminalExecution): ProvisionResult | undefined {
  if (publishedByWorkflow(execution)) return undefined;
  const requestId = requestIdOfExecution(execution);
  const what = `the ${execution.workflow} execution ${execution.name}`;
  const remains =
    execution.workflow === 'provision'
      ? `nothing was undone: resources of this request may remain; run teardown (privatelink teardown --request-id ${requestId}, or DELETE /endpoints/${requestId})`
      : `the teardown stopped where it was: resources of this request may remain; run teardown again (privatelink teardown --request-id ${requestId})`;
  if (execution.status === 'TIMED_OUT' || execution.status === 'ABORTED') {
    const code = execution.status === 'TIMED_OUT' ? TIMED_OUT_CODE : ABORTED_CODE;
    const how =
      execution.status === 'TIMED_OUT'
        ? 'timed out: the workflow’s TimeoutSeconds passed before it ended'
        : 'was stopped (StopExecution) before it ended';
    const detail = execution.cause ? ` (${execution.cause.slice(0, 500)})` : '';
    return {
      requestId,
      status: 'FAILED',
      error: { code, step: EXECUTION_STEP, message: `${code}: ${what} ${how}${detail}` },
      undone: [],
      kept: [remains],
    };
  }
  const record: ExecutionRecord = {
    workflow: execution.workflow,
    requestId,
    executionName: execution.name,
    requestHash: '',
    input: execution.input,
    status: 'FAILED',
    startedAt: execution.startedAt ?? '',
    ...(execution.stoppedAt && { stoppedAt: execution.stoppedAt }),
    error: execution.error ?? 'States.Runtime',
    cause: execution.cause ?? `${what} failed`,
  };
  // resultOf reads the Cause as the workflow's own (a step's error, a teardown's RemovalFailedError message)
  const result = resultOf(record);
  const error = result.error ?? {
    code: record.error ?? 'States.Runtime',
    step: EXECUTION_STEP,
    message: record.cause ?? '',
  };
  return {
    ...result,
    requestId,
    status: 'FAILED',
    // no step is known from the execution alone (the record has no current step): the execution is named
    error: { ...error, step: error.step === 'Unknown' ? EXECUTION_STEP : error.step },
    undone: result.undone ?? [],
    kept: [...(result.kept ?? []), remains],
  };
}

/** The `detail` of Step Functions' `Execution Status Change` event (EventBridge, default bus). */
export interface ExecutionStatusChange {
  executionArn?: unknown;
  stateMachineArn?: unknown;
  name?: unknown;
  status?: unknown;
  /** epoch ms */
  startDate?: unknown;
  stopDate?: unknown;
  /** the input as text; null when over the event's size (inputDetails.included false) */
  input?: unknown;
  error?: unknown;
  cause?: unknown;
}

export type StatusChangeOutcome =
  | { kind: 'published'; requestId: string; status: TerminalStatus; eventBusName: string }
  | { kind: 'skipped'; reason: string; requestId?: string };

export interface StatusChangeDeps {
  /** which of our workflows a state machine ARN is (undefined: not ours) */
  workflowOf(stateMachineArn: string): 'provision' | 'teardown' | undefined;
  /** puts the event on the bus the request named (undefined: the default); the bus used, undefined when not permitted */
  publish(result: ProvisionResult, bus: string | undefined, resources: string[]): Promise<string | undefined>;
  log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const iso = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : undefined);

/** The execution a status change describes, or why it is not one we answer. */
export function terminalExecutionOf(
  detail: ExecutionStatusChange,
  workflowOf: StatusChangeDeps['workflowOf'],
): TerminalExecution | string {
  const status = str(detail.status);
  if (!status || !(TERMINAL_STATUSES as readonly string[]).includes(status)) return `status ${status} is not a failure`;
  const workflow = workflowOf(str(detail.stateMachineArn) ?? '');
  if (!workflow) return `state machine ${String(detail.stateMachineArn)} is not one of ours`;
  let input: unknown;
  try {
    input = typeof detail.input === 'string' ? JSON.parse(detail.input) : undefined;
  } catch {
    input = undefined;
  }
  const startedAt = iso(detail.startDate);
  const stoppedAt = iso(detail.stopDate);
  const error = str(detail.error);
  const cause = str(detail.cause);
  return {
    workflow,
    name: str(detail.name) ?? '',
    status: status as TerminalStatus,
    ...(input !== undefined && { input }),
    ...(error !== undefined && { error }),
    ...(cause !== undefined && { cause }),
    ...(startedAt && { startedAt }),
    ...(stoppedAt && { stoppedAt }),
  };
}

export async function answerStatusChange(
  detail: ExecutionStatusChange,
  deps: StatusChangeDeps,
): Promise<StatusChangeOutcome> {
  const log = deps.log ?? (() => {});
  const execution = terminalExecutionOf(detail, deps.workflowOf);
  if (typeof execution === 'string') return { kind: 'skipped', reason: execution };
  const requestId = requestIdOfExecution(execution);
  const result = terminalFailureResult(execution);
  if (!result) {
    log('info', 'the workflow published Private Endpoint Failed itself', { requestId, status: execution.status });
    return { kind: 'skipped', reason: 'published by the workflow', requestId };
  }
  const resources = [str(detail.stateMachineArn), str(detail.executionArn)].filter((r): r is string => !!r);
  const bus = await deps.publish(result, eventBusOfExecution(execution), resources);
  if (!bus) {
    log('warn', 'the request names a bus the deployment may not put events on: no event', {
      requestId,
      status: execution.status,
    });
    return { kind: 'skipped', reason: 'bus not permitted', requestId };
  }
  log('info', 'Private Endpoint Failed published for an end the workflow could not report', {
    requestId,
    status: execution.status,
    error: execution.error,
  });
  return { kind: 'published', requestId, status: execution.status, eventBusName: bus };
}
