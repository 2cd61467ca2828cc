// Compensate: after any step fails, undo what this request created (re-entered until nothing is
// left going away), and build the FAILED result that the Fail state carries as its Cause.
import { UNDO_WAIT_SECONDS } from '../domain/polling.ts';
import type { RemovalMemory } from '../domain/removal-memory.ts';
import { isRequestId, parseProvisionRequest } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { describeCaughtError } from '../errors.ts';
import { type KnownResources, type RemovalPorts, remainingAfter, removeRequestResources } from './remove-resources.ts';
import type { UndoState, WorkflowState } from './state.ts';

/**
 * How long the undo may wait for what is going away (an endpoint deleting, then the service after it),
 * from its first pass; as the teardown's TEARDOWN_DEADLINE_SECONDS. Past it the undo stops and the FAILED
 * result lists what is still there under `remaining`, for a teardown to finish.
 */
export const COMPENSATION_DEADLINE_SECONDS = 30 * 60;

/** $.undo: the undo's state between passes (UndoState plus its deadline). */
export interface CompensationState extends UndoState {
  /** epoch ms: set by the first pass */
  deadlineAt: number;
  passes: number;
  /** what this pass left going away (an endpoint deleting, a service after it): all of the request that is still there */
  waitingFor: string[];
  /** what the passes so far settled at Route 53 (and the endpoint's addresses): not looked up again */
  memory?: RemovalMemory;
}

/** What the workflow itself knows it made at Atlas (the other party's endpoint carries no tag of ours). */
export function knownFromState(state: WorkflowState): KnownResources {
  const vendor = state.service?.vendor;
  if (!vendor) return {};
  const reported =
    state.consumerReport?.endpointId ??
    ('external' in (state.request?.consumer ?? {}) ? state.endpoint?.endpointId : undefined);
  return {
    atlas: { projectId: vendor.projectId, endpointServiceId: vendor.endpointServiceId, created: vendor.created },
    ...(reported && { atlasEndpointIds: [reported] }),
  };
}

export async function compensate(state: WorkflowState, ports: RemovalPorts): Promise<CompensationState> {
  const previous = state.undo as Partial<CompensationState> | undefined;
  const deadlineAt = previous?.deadlineAt ?? ports.clock.now() + COMPENSATION_DEADLINE_SECONDS * 1000;
  const [step, caught] = Object.entries(state.failed ?? {})[0] ?? ['Unknown', {}];
  const { code, message } = describeCaughtError(caught);
  const error = { code, step, message };
  const parsed = parseProvisionRequest(state.request);
  // An invalid request failed before anything was created: there is nothing to undo.
  const outcome = parsed.ok
    ? await removeRequestResources(parsed.request, ports, knownFromState(state), previous?.memory)
    : undefined;
  const undone = [...(state.undo?.undone ?? []), ...(outcome?.undone ?? [])];
  const kept = [...(outcome?.kept ?? [])];
  // A terminal undo error stops the undo here: the result says what was undone and what remains, by id.
  const failed = outcome?.failed ?? [];
  // After a terminal undo error, wait still for what is on its way (an endpoint deleting), then stop.
  let done = failed.length > 0 ? (outcome?.inProgress ?? 0) === 0 : (outcome?.waitingFor.length ?? 0) === 0;
  let remaining = outcome && failed.length > 0 ? remainingAfter(outcome) : [];
  if (!done && outcome && ports.clock.now() > deadlineAt) {
    // The deadline: stop waiting; what is still going away (or waits on it) remains, by id.
    done = true;
    remaining = remainingAfter(outcome);
    kept.push(
      `the undo stopped at its deadline (${COMPENSATION_DEADLINE_SECONDS} s), still waiting for: ${outcome.waitingFor.join('; ') || 'resources to go away'}`,
    );
  }
  if (remaining.length > 0)
    kept.push(
      `what remains is listed under remaining: privatelink teardown --request-id ${requestIdOf(state)} removes it`,
    );
  const requestId = parsed.ok ? parsed.request.requestId : fallbackRequestId(state);
  const result: ProvisionResult = {
    requestId,
    status: 'FAILED',
    ...(state.service && {
      service: {
        serviceName: state.service.serviceName,
        serviceId: state.service.serviceId,
        // for Atlas: whether this request created Atlas's endpoint service (teardown may remove it)
        created: state.service.vendor?.created ?? state.service.created,
      },
    }),
    ...(state.service?.vendor && {
      vendor: {
        name: 'atlas' as const,
        endpointServiceId: state.service.vendor.endpointServiceId,
        status: state.service.vendor.status,
        ...(state.endpoint?.vendorStatus && { connectionStatus: state.endpoint.vendorStatus }),
      },
    }),
    error,
    undone,
    kept,
    ...(remaining.length > 0 && { remaining }),
  };
  return {
    done,
    waitSeconds: UNDO_WAIT_SECONDS,
    deadlineAt,
    passes: (previous?.passes ?? 0) + 1,
    waitingFor: outcome?.waitingFor ?? [],
    ...(!done && outcome && Object.keys(outcome.memory).length > 0 && { memory: outcome.memory }),
    undone,
    kept,
    error,
    resultJson: JSON.stringify(result),
  };
}

function requestIdOf(state: WorkflowState): string {
  const parsed = parseProvisionRequest(state.request);
  return parsed.ok ? parsed.request.requestId : fallbackRequestId(state);
}

/**
 * The request id a FAILED result names when the request was invalid: its own when that is a valid id,
 * else the event's id (a request from a Cluster Created event), else the execution's name, so the
 * result and the Private Endpoint Failed event never carry a malformed or injected id.
 */
export function fallbackRequestId(state: Pick<WorkflowState, 'request' | 'event' | 'execution'>): string {
  const candidates: unknown[] = [(state.request as { requestId?: unknown } | undefined)?.requestId];
  candidates.push(state.event?.id, state.execution?.name);
  return (candidates.find(isRequestId) as string | undefined) ?? 'unknown';
}

/**
 * The FAILED result when undoing failed too: the Cause is then the whole workflow state, which still
 * holds the original failure, what was undone before, and the undo's own error.
 */
export function resultOfUndoFailure(cause: string): ProvisionResult | undefined {
  let state: WorkflowState & { undoFailure?: { Error?: string; Cause?: string } };
  try {
    state = JSON.parse(cause);
  } catch {
    return undefined;
  }
  const [step, caught] = Object.entries(state.failed ?? {})[0] ?? [];
  if (!step || !caught || !state.undoFailure) return undefined;
  const original = describeCaughtError(caught);
  const undo = describeCaughtError(state.undoFailure);
  // The last pass that ended left only these of the request in the account (the pass that stopped may
  // have removed some of them): they are what remains, at most. Without such a pass nothing is known.
  const last = state.undo as Partial<CompensationState> | undefined;
  const remaining = last?.waitingFor ?? [];
  return {
    requestId: fallbackRequestId(state),
    status: 'FAILED',
    error: { code: original.code, step, message: original.message },
    undone: state.undo?.undone ?? [],
    kept: [
      `undo stopped at ${undo.code}: ${undo.message}; ${
        last?.passes
          ? 'what remains is listed under remaining (or less, if the stopped pass removed some): run teardown'
          : 'resources of this request may remain, run teardown'
      }`,
    ],
    ...(remaining.length > 0 && { remaining }),
  };
}
