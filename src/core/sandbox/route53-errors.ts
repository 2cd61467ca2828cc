// Route 53 errors as the SDK v3 client throws them, and the request checks shared by every operation.
import { awsError } from './context.ts';

/** The SDK's error schemas give these codes their own HTTP status; awsError() defaults the rest to 400. */
const STATUS: Record<string, number> = {
  HostedZoneAlreadyExists: 409,
  NoSuchChange: 404,
  NoSuchHealthCheck: 404,
  VPCAssociationNotFound: 404,
};

export function fail(code: string, message: string): Error {
  const error = awsError('route53', code, message);
  const status = STATUS[code];
  if (status !== undefined)
    (error as Error & { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode = status;
  return error;
}

export function invalidInput(message: string): Error {
  return fail('InvalidInput', message);
}

/** MaxItems as Route 53 reads it: a positive integer, silently capped at the operation's limit. */
export function maxItems(raw: unknown, limit: number): number {
  if (raw === undefined || raw === null) return limit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(`Invalid value for MaxItems: ${String(raw)}`);
  return Math.min(n, limit);
}
