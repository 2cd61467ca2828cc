// Idempotency tokens, derived from the request id and its attempt. Within an attempt every create
// converges, however often it is retried or run twice at once (EventBridge may deliver an event twice);
// a new attempt (after a failure was undone, or after a teardown) gets fresh tokens, because EC2
// answers a used ClientToken with its original, now deleted, resource, and Route 53 never takes a
// CallerReference twice.
import { createHash } from 'node:crypto';

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** EC2 ClientToken: at most 64 ASCII characters. */
export function clientToken(requestId: string, purpose: 'endpoint' | 'service', attempt: number): string {
  return `pl-${purpose}-${digest(`${requestId}\n${attempt}`, 40)}`;
}

/** Route 53 CallerReference for the zone an attempt of this request creates for `zoneName` (≤ 128). */
export function callerReference(requestId: string, zoneName: string, attempt: number): string {
  return `privatelink:${requestId}:${attempt}:${digest(zoneName.toLowerCase(), 16)}`;
}

const CALLER_REFERENCE = /^privatelink:([A-Za-z0-9_-]{1,64}):\d{1,6}:([0-9a-f]{16})$/;

/** The request that created a zone named `zoneName`, read from its CallerReference; else undefined. */
export function zoneCreator(reference: string | undefined, zoneName: string): string | undefined {
  const match = CALLER_REFERENCE.exec(reference ?? '');
  return match?.[2] === digest(zoneName.toLowerCase(), 16) ? match[1] : undefined;
}
