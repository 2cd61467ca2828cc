// What each simulated service (EC2, Route 53) gets from the sandbox account that hosts it.
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { Route53ServiceException } from '@aws-sdk/client-route-53';

export interface SandboxTiming {
  /** from creation (or acceptance, when the service requires it) until `available` */
  endpointAvailableAfterSeconds: number;
  /** from ChangeResourceRecordSets (or CreateHostedZone) until the change is INSYNC */
  dnsChangeInsyncAfterSeconds: number;
  /** from DeleteVpcEndpoints until the endpoint is gone */
  endpointDeletedAfterSeconds: number;
  /** a vendor's service that requires acceptance accepts this long after the endpoint is created */
  vendorAcceptsAfterSeconds: number;
  /** simulated time each EC2 call takes */
  ec2LatencyMs: number;
  /** simulated time each Route 53 call takes */
  route53LatencyMs: number;
}

export const DEFAULT_TIMING: SandboxTiming = {
  endpointAvailableAfterSeconds: 120,
  dnsChangeInsyncAfterSeconds: 30,
  endpointDeletedAfterSeconds: 30,
  vendorAcceptsAfterSeconds: 60,
  ec2LatencyMs: 100,
  route53LatencyMs: 250,
};

export interface SimContext {
  readonly accountId: string;
  readonly timing: SandboxTiming;
  /** simulated epoch milliseconds */
  now(): number;
  /** a new id: `${prefix}-` + `hexLength` deterministic hex characters (e.g. vpce, 17) */
  newId(prefix: string, hexLength: number): string;
}

export type SimService = 'ec2' | 'route53';

/** Codes AWS answers with a 5xx (the SDK marks them `$fault: server`). */
const SERVER_CODES = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable']);
/** Codes AWS answers with 503 / 400 throttling. */
const THROTTLE_STATUS: Record<string, number> = {
  RequestLimitExceeded: 503,
  Throttling: 400,
  ThrottlingException: 400,
};

/** An error shaped exactly as the SDK v3 client would throw it for that service and code. */
export function awsError(service: SimService, code: string, message: string): Error {
  const server = SERVER_CODES.has(code);
  const httpStatusCode = THROTTLE_STATUS[code] ?? (server ? 500 : code === 'NoSuchHostedZone' ? 404 : 400);
  const init = {
    name: code,
    message,
    $fault: server ? ('server' as const) : ('client' as const),
    $metadata: { httpStatusCode, requestId: 'sandbox', attempts: 1, totalRetryDelay: 0 },
  };
  const error = service === 'ec2' ? new EC2ServiceException(init) : new Route53ServiceException(init);
  Object.assign(error, { Code: code });
  return error;
}
