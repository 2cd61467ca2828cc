// Idempotency tokens, derived from the request id and the execution (the attempt): a retried or
// re-run step of one execution converges on what it created, while a request provisioned again after
// a teardown gets fresh tokens — EC2 answers a used ClientToken with the original (deleted) resource,
// and Route 53 wants a new CallerReference for every zone it creates.
import { createHash } from 'node:crypto';

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** EC2 ClientToken: at most 64 ASCII characters. */
export function clientToken(requestId: string, purpose: 'endpoint' | 'service', execution: string): string {
  return `pl-${purpose}-${digest(`${requestId}\n${execution}`, 40)}`;
}

/** Route 53 CallerReference for the zone an execution of this request creates for `zoneName` (≤ 128). */
export function callerReference(requestId: string, zoneName: string, execution: string): string {
  return `privatelink:${requestId}:${digest(execution, 8)}:${digest(zoneName.toLowerCase(), 16)}`;
}

const CALLER_REFERENCE = /^privatelink:([A-Za-z0-9_-]{1,64}):[0-9a-f]{8}:([0-9a-f]{16})$/;

/** The request that created a zone named `zoneName`, read from its CallerReference; else undefined. */
export function zoneCreator(reference: string | undefined, zoneName: string): string | undefined {
  const match = CALLER_REFERENCE.exec(reference ?? '');
  return match?.[2] === digest(zoneName.toLowerCase(), 16) ? match[1] : undefined;
}
