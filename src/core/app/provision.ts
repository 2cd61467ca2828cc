// The provision use case, shared by the CLI and the HTTP API: idempotent on the request id, it runs
// the real provisioning definition and records the execution as Step Functions would.

import { createHash } from 'node:crypto';
import { canonicalJson, type ProvisionRequest } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { type RunEvent, runWorkflow } from '../runner/local-runner.ts';
import { resultOf } from '../runner/results.ts';
import type { Environment } from './environment.ts';

export class RequestConflictError extends Error {
  override readonly name = 'RequestConflictError' as const;
  readonly code = 'RequestIdConflict';
}

export function requestHash(request: ProvisionRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export type ProvisionStart =
  | { kind: 'existing'; result: ProvisionResult }
  | { kind: 'started'; execution: Promise<ProvisionResult> };

/**
 * Starts (or finds) the provisioning of `request`. The same id and body returns the execution that
 * exists (running or done); the same id with another body is a RequestConflictError. A FAILED
 * request runs again, converging on whatever an earlier run left.
 */
export async function startProvision(
  env: Environment,
  request: ProvisionRequest,
  onEvent?: (event: RunEvent, elapsedSeconds: number) => void,
): Promise<ProvisionStart> {
  const hash = requestHash(request);
  const previous = await env.store.get('provision', request.requestId);
  if (previous && previous.requestHash !== hash)
    throw new RequestConflictError(
      `request id ${request.requestId} already names a different request; choose another requestId`,
    );
  if (previous && previous.status !== 'FAILED') return { kind: 'existing', result: resultOf(previous) };

  const attempt = previous ? Number(/-(\d+)$/.exec(previous.executionName)?.[1] ?? 1) + 1 : 1;
  const record: ExecutionRecord = {
    workflow: 'provision',
    requestId: request.requestId,
    executionName: attempt === 1 ? request.requestId : `${request.requestId}-${attempt}`,
    requestHash: hash,
    input: { request },
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
  };
  // Writes are chained so a progress update never lands after the final record.
  let writes = env.store.put(record);
  const write = (next: ExecutionRecord) => {
    writes = writes.then(() => env.store.put(next));
    return writes;
  };
  await writes;

  const execution = (async () => {
    const outcome = await runWorkflow({
      workflow: 'provision',
      input: record.input,
      executionName: record.executionName,
      ...(env.sandbox && { sandbox: env.sandbox }),
      onEvent: (event, elapsed) => {
        if (event.type === 'entered' && event.stateType === 'Task') {
          record.currentStep = event.state;
          void write({ ...record });
        }
        onEvent?.(event, elapsed);
      },
      afterTask: () => env.save(),
    });
    const done: ExecutionRecord = {
      ...record,
      status: outcome.status,
      stoppedAt: new Date().toISOString(),
      stats: outcome.stats,
      ...(outcome.status === 'SUCCEEDED' ? { output: outcome.output } : { error: outcome.error, cause: outcome.cause }),
    };
    if (env.kind === 'aws') delete done.stats;
    await write(done);
    await env.save();
    return resultOf(done);
  })();
  return { kind: 'started', execution };
}
