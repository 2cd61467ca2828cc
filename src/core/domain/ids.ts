// Idempotency tokens derived from the request id, so a repeated or re-run request converges.
import { createHash } from 'node:crypto';

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** EC2 ClientToken: at most 64 ASCII characters. */
export function clientToken(requestId: string, purpose: 'endpoint' | 'service'): string {
  return `pl-${purpose}-${digest(requestId, 40)}`;
}

/** Route 53 CallerReference for the zone this request creates for `zoneName` (at most 128 characters). */
export function callerReference(requestId: string, zoneName: string): string {
  return `privatelink:${requestId}:${digest(zoneName, 16)}`;
}
