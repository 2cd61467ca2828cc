// The provision use case, shared by the CLI and the HTTP API: idempotent on the request id, it runs
// the real provisioning definition and records the execution as Step Functions would.

import { createHash } from 'node:crypto';
import { canonicalJson, type ProvisionRequest } from '../domain/request.ts';
import { RequestBusyError, RequestConflictError } from '../errors.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { resultOf } from '../runner/results.ts';
import { enforceAllowlists } from './allowlists.ts';
import type { Environment } from './environment.ts';
import {
  type ExecutionStart,
  isLive,
  nextExecution,
  type ProgressListener,
  serialized,
  startRecorded,
} from './executions.ts';
import { refuseNameCollisions } from './name-claims.ts';

// Defined with the other refusals, so the HTTP and Slack Lambdas need not bundle the local runner.
export { RequestConflictError };

export function requestHash(request: ProvisionRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export type ProvisionStart = ExecutionStart;

/**
 * Starts (or finds) the provisioning of `request`. The same id and body returns the execution that
 * exists (running or done); the same id with another body is a RequestConflictError; a request a
 * deployment allowlist does not cover is a RequestNotAllowedError, and one writing a DNS name another
 * request holds in the same VPC a NameCollisionError (all before any AWS call), and one whose teardown
 * still runs a RequestBusyError. A FAILED, torn-down or interrupted request runs again, converging on
 * whatever an earlier run left.
 */
export async function startProvision(
  env: Environment,
  request: ProvisionRequest,
  onEvent?: ProgressListener,
): Promise<ProvisionStart> {
  enforceAllowlists(request);
  const hash = requestHash(request);
  return serialized(env, request.requestId, async (): Promise<ProvisionStart> => {
    const previous = await env.store.get('provision', request.requestId);
    if (previous && previous.requestHash !== hash)
      throw new RequestConflictError(
        `request id ${request.requestId} already names a different request; choose another requestId`,
      );
    if (previous && (isLive(env, previous) || (previous.status === 'SUCCEEDED' && !(await tornDown(env, previous)))))
      return { kind: 'existing', result: resultOf(previous) };
    // Never alongside its own teardown: the teardown would remove what this run makes, and its passes
    // remember zones as gone (domain/removal-memory.ts). In AWS the execution's name refuses it anyway.
    if (isLive(env, await env.store.get('teardown', request.requestId)))
      throw new RequestBusyError(
        `request ${request.requestId} is being torn down; provision it again once the teardown ends`,
      );

    const next = nextExecution(request.requestId, previous);
    // Checked and recorded under one lock: of two colliding starts, the second sees the first.
    return env.store.withNamesLock(async (): Promise<ProvisionStart> => {
      await refuseNameCollisions(env, request);
      const { execution } = await startRecorded(
        env,
        {
          workflow: 'provision',
          requestId: request.requestId,
          ...next,
          requestHash: hash,
          // A new attempt gets fresh idempotency tokens (src/core/domain/ids.ts).
          input: { request, attempt: next.attempt },
        },
        onEvent,
      );
      return { kind: 'started', execution };
    });
  });
}

/** A teardown ran (or runs) after this provisioning: provisioning again is a new execution. */
async function tornDown(env: Environment, provision: ExecutionRecord): Promise<boolean> {
  const teardown = await env.store.get('teardown', provision.requestId);
  return teardown !== undefined && teardown.startedAt >= provision.startedAt;
}
