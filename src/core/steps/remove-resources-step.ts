// RemoveResources: one pass of the teardown workflow. Undoes what can be undone now (records, then
// empty zones we created, the endpoint, our ingress rules, our service once unused), and says whether
// anything is still going away; the Choice after it waits and re-enters until nothing is.
import { TEARDOWN_DEADLINE_SECONDS, UNDO_WAIT_SECONDS } from '../domain/polling.ts';
import type { ProvisionResult } from '../domain/result.ts';
import { RemovalFailedError, RemovalTimeoutError } from '../errors.ts';
import { type KnownResources, type RemovalPorts, remainingAfter, removeRequestResources } from './remove-resources.ts';
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
  /** epoch ms */
  deadlineAt: number;
  /** when done: the DELETED result the workflow outputs */
  result?: ProvisionResult;
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
  const outcome = await removeRequestResources(request, ports, state.known ?? {});
  const undone = [...(previous?.undone ?? []), ...outcome.undone];
  const [first] = outcome.failed;
  if (first)
    throw new RemovalFailedError(
      first.code,
      `${first.message}; undone: ${undone.join('; ') || 'nothing'}; remaining: ${remainingAfter(outcome).join('; ')}`,
    );
  const done = outcome.waitingFor.length === 0;
  return {
    done,
    waitSeconds: UNDO_WAIT_SECONDS,
    undone,
    kept: outcome.kept,
    waitingFor: outcome.waitingFor,
    passes: (previous?.passes ?? 0) + 1,
    deadlineAt,
    ...(done && { result: { requestId: request.requestId, status: 'DELETED', undone, kept: outcome.kept } }),
  };
}
