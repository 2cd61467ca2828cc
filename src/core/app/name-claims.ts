// Refusing, before anything is created, a request whose DNS names another request writes or still holds
// (domain/name-claims.ts decides; this finds who holds what): on a state directory from its executions,
// in the deployed API from Route 53 itself (read-only calls, before the request's first execution).
import { zoneCreator } from '../domain/ids.ts';
import { claimedNames, findNameCollision, findNameHeld, type ZoneSeen } from '../domain/name-claims.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../domain/request.ts';
import { NameCollisionError } from '../errors.ts';
import type { Route53Port } from '../ports.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { resultOf } from '../runner/results.ts';
import { findRequestZone } from '../steps/zones.ts';
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

/**
 * The deployed API's check, before a request's first execution starts: the private zones of the names
 * it claims that already serve its VPC (the lookup UpsertDnsRecords falls back on), and their records.
 * Throws NameCollisionError naming the request that made the zone, when one of ours did.
 */
export async function refuseNamesHeldInAccount(request: ProvisionRequest, route53: Route53Port): Promise<void> {
  if (!('vpcId' in request.consumer)) return;
  const { vpcId } = request.consumer;
  const claims = claimedNames(request);
  const zones: ZoneSeen[] = [];
  for (const zoneName of new Set(claims.map((c) => c.zoneName))) {
    const found = await findRequestZone(route53, request, vpcId, zoneName);
    if (!found) continue;
    const creator = zoneCreator(found.zone.callerReference, zoneName);
    zones.push({
      zoneName,
      createdByRequest: found.createdByRequest,
      ...(creator && { creator }),
      records: found.createdByRequest ? [] : await route53.listRecords(found.zone.hostedZoneId),
    });
  }
  const held = findNameHeld(claims, zones);
  if (held) throw new NameCollisionError(held.heldBy, held.record, held.zoneName);
}
