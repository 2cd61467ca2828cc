// RemoveResources: one pass of the teardown workflow. Undoes what can be undone now (records, then
// empty zones we created, the endpoint, our ingress rules, our service once unused), and says whether
// anything is still going away; the Choice after it waits and re-enters until nothing is.
import { TEARDOWN_DEADLINE_SECONDS, throttleBackoffSeconds, UNDO_WAIT_SECONDS } from '../domain/polling.ts';
import type { RemovalMemory } from '../domain/removal-memory.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { RemovalFailedError, RemovalTimeoutError } from '../errors.ts';
import {
  type KnownResources,
  type RemovalPorts,
  remainingAfter,
  removeRequestResources,
  THROTTLED_WAIT,
} from './remove-resources.ts';
import type { WorkflowState } from './state.ts';

/** $.removal */
export interface RemovalState {
  done: boolean;
  waitSeconds: number;
  /** everything undone so far, over every pass */
  undone: string[];
  kept: string[];
  waitingFor: string[];
  passes: number;
  /** passes in a row the account's rate limits cut short: the wait before the next grows, with jitter */
  throttledPasses?: number;
  /** epoch ms */
  deadlineAt: number;
  /** when done: the DELETED result the workflow outputs */
  result?: ProvisionResult;
  /** what the passes so far settled at Route 53 (and the endpoint's addresses): not looked up again */
  memory?: RemovalMemory;
}

export interface TeardownState extends WorkflowState {
  removal?: RemovalState;
  /** from the request's last result: what the tags cannot tell (Atlas's service, the other party's endpoint) */
  known?: KnownResources;
}

export async function removeResources(state: TeardownState, ports: RemovalPorts): Promise<RemovalState> {
  const { request } = state;
  const previous = state.removal;
  const deadlineAt = previous?.deadlineAt ?? ports.clock.now() + TEARDOWN_DEADLINE_SECONDS * 1000;
  if (previous && ports.clock.now() > deadlineAt)
    throw new RemovalTimeoutError(
      `still waiting for ${previous.waitingFor.join(', ') || 'resources to go away'} after ${previous.passes} passes`,
    );
  const outcome = await removeRequestResources(request, ports, state.known ?? {}, previous?.memory);
  const undone = [...(previous?.undone ?? []), ...outcome.undone];
  const [first] = outcome.failed;
  if (first)
    throw new RemovalFailedError(
      first.code,
      `${first.message}; undone: ${undone.join('; ') || 'nothing'}; remaining: ${remainingAfter(outcome).join('; ')}`,
    );
  const done = outcome.waitingFor.length === 0;
  // Cut short by throttling: many teardowns at once spread their next passes out (capped exponential
  // backoff with full jitter on top of the usual wait) instead of all coming back 15 s later together.
  const throttledPasses = outcome.waitingFor.includes(THROTTLED_WAIT) ? (previous?.throttledPasses ?? 0) + 1 : 0;
  const backoff =
    throttledPasses > 0 ? throttleBackoffSeconds(throttledPasses - 1, Math.random(), UNDO_WAIT_SECONDS, 120) : 0;
  return {
    done,
    waitSeconds: Math.round(UNDO_WAIT_SECONDS + backoff),
    ...(throttledPasses > 0 && { throttledPasses }),
    undone,
    kept: outcome.kept,
    waitingFor: outcome.waitingFor,
    passes: (previous?.passes ?? 0) + 1,
    deadlineAt,
    ...(!done && Object.keys(outcome.memory).length > 0 && { memory: outcome.memory }),
    ...(done && { result: { requestId: request.requestId, status: 'DELETED', undone, kept: outcome.kept } }),
  };
}
