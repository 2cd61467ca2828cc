// The teardown use case, shared by the CLI (`privatelink teardown`) and the HTTP API (DELETE
// /endpoints/{id}): finds the request a provisioning execution was started for, and runs the real
// teardown definition over it as a recorded execution. Teardown is idempotent: run again, it finds
// nothing left and ends DELETED; after it, provisioning the same request starts afresh.
import type { ProvisionResult } from '../domain/result.ts';
import { RequestBusyError, RequestNotFoundError } from '../errors.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { resultOf } from '../runner/results.ts';
import type { KnownResources } from '../steps/remove-resources.ts';
import { requestCancel } from './cancel.ts';
import type { Environment } from './environment.ts';
import {
  type ExecutionStart,
  isLive,
  nextExecution,
  type ProgressListener,
  serialized,
  startRecorded,
} from './executions.ts';

export type TeardownStart = ExecutionStart;

/**
 * Starts the teardown of `requestId`: RequestNotFoundError when it was never provisioned here,
 * RequestBusyError while its provisioning still runs; a teardown already running is returned as it stands.
 */
export async function startTeardown(
  env: Environment,
  requestId: string,
  onEvent?: ProgressListener,
): Promise<TeardownStart> {
  return serialized(env, requestId, async (): Promise<TeardownStart> => {
    const provision = await env.store.get('provision', requestId);
    if (!provision) throw new RequestNotFoundError(requestId);
    if (isLive(env, provision) && isWaitingOnSomeone(resultOf(provision))) {
      // A wait for the vendor or the other party is cancelled: the run undoes what it made, then we go on.
      await requestCancel(env.stateDir, requestId, 'the request was torn down while it waited');
      await untilStopped(env, requestId);
    }
    const current = (await env.store.get('provision', requestId)) ?? provision;
    if (isLive(env, current))
      throw new RequestBusyError(
        `request ${requestId} is still being provisioned (${provision.currentStep ?? 'starting'}); tear it down once that ends`,
      );
    const previous = await env.store.get('teardown', requestId);
    if (previous && isLive(env, previous)) return { kind: 'existing', result: resultOf(previous) };
    const { request } = provision.input as { request: unknown };
    const known = knownFromResult(request, resultOf(provision));
    const { execution } = await startRecorded(
      env,
      {
        workflow: 'teardown',
        requestId,
        ...nextExecution(`${requestId}-teardown`, previous),
        requestHash: provision.requestHash,
        input: { request, ...(known && { known }) },
      },
      onEvent,
    );
    return { kind: 'started', execution };
  });
}

/**
 * What the teardown cannot find by tag, from the request's last result: Atlas's endpoint service (and
 * whether this request created it), and the other party's endpoint registered there.
 */
export function knownFromResult(request: unknown, result: ProvisionResult): KnownResources | undefined {
  const atlas = (request as { service?: { atlas?: { projectId?: unknown } } } | undefined)?.service?.atlas;
  if (!result.vendor || typeof atlas?.projectId !== 'string') return undefined;
  const external = 'external' in ((request as { consumer?: object } | undefined)?.consumer ?? {});
  return {
    atlas: {
      projectId: atlas.projectId,
      endpointServiceId: result.vendor.endpointServiceId,
      created: result.service?.created ?? false,
    },
    ...(external && result.endpoint?.endpointId && { atlasEndpointIds: [result.endpoint.endpointId] }),
  };
}

function isWaitingOnSomeone(result: ProvisionResult): boolean {
  return result.status === 'WAITING_FOR_CONSUMER' || result.status === 'WAITING_FOR_VENDOR';
}

/** Waits (real time, bounded) for a cancelled provisioning to finish undoing. */
async function untilStopped(env: Environment, requestId: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isLive(env, await env.store.get('provision', requestId))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The newer of a request's provisioning and teardown executions. */
export function latestExecution(
  provision: ExecutionRecord | undefined,
  teardown: ExecutionRecord | undefined,
): ExecutionRecord | undefined {
  if (!provision || !teardown) return provision ?? teardown;
  return teardown.startedAt >= provision.startedAt ? teardown : provision;
}

/** The result as it stands (what `status` and GET /endpoints/{id} show); undefined when unknown. */
export async function currentResult(env: Environment, requestId: string): Promise<ProvisionResult | undefined> {
  const record = latestExecution(
    await env.store.get('provision', requestId),
    await env.store.get('teardown', requestId),
  );
  return record && resultOf(record);
}
