// Refusing, before anything is created, a request whose DNS names another request on this state
// directory writes or still holds (domain/name-claims.ts decides; this finds who holds what).
import { findNameCollision } from '../domain/name-claims.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../domain/request.ts';
import { NameCollisionError } from '../errors.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { resultOf } from '../runner/results.ts';
import type { Environment } from './environment.ts';

/**
 * Whether a provisioning still holds its names: running or done, unless a teardown finished after it
 * or its failure was undone completely (nothing `remaining`).
 */
async function holdsNames(env: Environment, record: ExecutionRecord): Promise<boolean> {
  const teardown = await env.store.get('teardown', record.requestId);
  if (teardown && teardown.startedAt >= record.startedAt && teardown.status === 'SUCCEEDED') return false;
  if (record.status === 'FAILED') return (resultOf(record).remaining ?? []).length > 0;
  return true;
}

function requestOf(record: ExecutionRecord): ProvisionRequest | undefined {
  const input = record.input as { request?: unknown } | undefined;
  try {
    return requireProvisionRequest(input?.request);
  } catch {
    // A record written by another version of the code: its names can't be known, so it claims none.
    return undefined;
  }
}

/** Throws NameCollisionError naming the first other request that holds one of `request`'s names. */
export async function refuseNameCollisions(env: Environment, request: ProvisionRequest): Promise<void> {
  const others: { requestId: string; request: ProvisionRequest }[] = [];
  for (const record of await env.store.list('provision')) {
    if (record.requestId === request.requestId) continue;
    const other = requestOf(record);
    if (other && (await holdsNames(env, record))) others.push({ requestId: record.requestId, request: other });
  }
  const collision = findNameCollision(request, others);
  if (collision) throw new NameCollisionError(collision.otherRequestId, collision.record, collision.zoneName);
}
