// The project's own errors. Step Functions matches Retry/Catch on `name`, so every class has a
// literal name. AWS errors are translated into these at the adapter boundary (src/core/aws/).
// Messages start with the code ("InvalidSubnetID.NotFound: …") because Lambda forwards only
// errorType and errorMessage to the state machine, and the failure result must name the code.

/** Throttling, RequestLimitExceeded, PriorRequestNotComplete, 5xx: the state machine retries these. */
export class TransientAwsError extends Error {
  override readonly name = 'TransientAwsError' as const;
  constructor(
    readonly code: string,
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail} (${operation})`, options);
  }
}

/** Not found, invalid, limit exceeded, access denied: retrying cannot help. */
export class AwsRequestError extends Error {
  override readonly name = 'AwsRequestError' as const;
  constructor(
    readonly code: string,
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail} (${operation})`, options);
  }
}

/** The endpoint went to `failed` or `rejected`, or never became available before its deadline. */
export class EndpointStateError extends Error {
  override readonly name = 'EndpointStateError' as const;
  constructor(
    readonly code: 'EndpointFailed' | 'EndpointRejected' | 'EndpointDeadlineExceeded',
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** A Route 53 change did not reach INSYNC before its deadline. */
export class DnsChangeTimeoutError extends Error {
  override readonly name = 'DnsChangeTimeoutError' as const;
  readonly code = 'DnsChangeDeadlineExceeded';
  constructor(detail: string) {
    super(`DnsChangeDeadlineExceeded: ${detail}`);
  }
}

/** Teardown still waited for something to go away (an endpoint being deleted) at its deadline. */
export class RemovalTimeoutError extends Error {
  override readonly name = 'RemovalTimeoutError' as const;
  readonly code = 'TeardownDeadlineExceeded';
  constructor(detail: string) {
    super(`TeardownDeadlineExceeded: ${detail}`);
  }
}

/** Teardown met a terminal error (`code`, AWS's or Atlas's): what was undone and what remains, by id, are in the message. */
export class RemovalFailedError extends Error {
  override readonly name = 'RemovalFailedError' as const;
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface FieldIssue {
  /** dotted path into the request, e.g. "consumer.subnetIds.1" */
  path: string;
  message: string;
}

/** How many issues a RequestValidationError's message lists; `issues` keeps them all. */
const MESSAGE_ISSUES = 20;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * The request (or a step's input) is invalid; nothing was created. The message is bounded (20 issues,
 * paths and messages clipped): in the workflow it becomes the Catch's Cause and the Failed event's
 * detail, which Step Functions and EventBridge cap, and paths can echo field names the sender chose.
 */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError' as const;
  readonly code = 'InvalidRequest';
  constructor(readonly issues: FieldIssue[]) {
    const listed = issues
      .slice(0, MESSAGE_ISSUES)
      .map((i) => `${clip(i.path, 200) || '(request)'}: ${clip(i.message, 300)}`);
    if (issues.length > MESSAGE_ISSUES) listed.push(`… and ${issues.length - MESSAGE_ISSUES} more`);
    super(`InvalidRequest: ${listed.join('; ')}`);
  }
}

/**
 * The request is refused before anything runs: the caller must change it (CLI exit 2, HTTP 4xx).
 * Subclasses carry a literal name and code; the message is safe to show as it is.
 */
export abstract class RequestRefusedError extends Error {
  abstract readonly code: string;
}

/** A deployment allowlist (VPCs, accounts, hosted-zone suffixes) does not cover the request. */
export class RequestNotAllowedError extends RequestRefusedError {
  override readonly name = 'RequestNotAllowedError' as const;
  readonly code = 'NotAllowed';
  constructor(readonly issues: FieldIssue[]) {
    super(`NotAllowed: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** The request id already names a request with another body (HTTP 409, CLI exit 2). */
export class RequestConflictError extends RequestRefusedError {
  override readonly name = 'RequestConflictError' as const;
  readonly code = 'RequestIdConflict';
}

/**
 * The request would write a DNS name another request holds in the same VPC (HTTP 409, CLI exit 2):
 * refused before anything is created, naming the other request.
 */
export class NameCollisionError extends RequestRefusedError {
  override readonly name = 'NameCollisionError' as const;
  readonly code = 'NameCollision';
  constructor(
    /** undefined: the record was written by something other than this tool */
    readonly otherRequestId: string | undefined,
    readonly record: string,
    zoneName: string,
  ) {
    super(
      otherRequestId
        ? `${record} (zone ${zoneName}) is written by request ${otherRequestId} in the same VPC; nothing was created. ` +
            `Tear that request down first, or change target.host / target.srvHost`
        : `${record} (zone ${zoneName}) already holds a record someone else wrote in the same VPC; nothing was created. ` +
            `Remove it, or change target.host / target.srvHost`,
    );
  }
}

/** No request with that id was ever provisioned here (HTTP 404). */
export class RequestNotFoundError extends RequestRefusedError {
  override readonly name = 'RequestNotFoundError' as const;
  readonly code = 'NotFound';
  constructor(readonly requestId: string) {
    super(`no request ${requestId} is known`);
  }
}

/** The request is being provisioned (or torn down) right now; try again once that execution ends (HTTP 409). */
export class RequestBusyError extends RequestRefusedError {
  override readonly name = 'RequestBusyError' as const;
  readonly code = 'RequestInProgress';
}

/** A precondition the project checks itself (e.g. a zone we would reuse belongs to someone else). */
export class PreconditionError extends Error {
  override readonly name = 'PreconditionError' as const;
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** Atlas answered 429, 503 or another 5xx: the state machine retries (the adapter honours Retry-After first). */
export class TransientAtlasError extends Error {
  override readonly name = 'TransientAtlasError' as const;
  constructor(
    /** Atlas's errorCode (e.g. RATE_LIMITED), or HTTP_<status> when the body had none */
    readonly code: string,
    /** the Atlas operation, e.g. createEndpointService */
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`${code}: ${detail} (atlas:${operation})`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly retryAfterSeconds: number | undefined;
}

/** Atlas answered a 4xx (other than 429): retrying cannot help. `code` is Atlas's errorCode. */
export class AtlasApiError extends Error {
  override readonly name = 'AtlasApiError' as const;
  constructor(
    readonly code: string,
    readonly operation: string,
    readonly status: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail} (atlas:${operation})`, options);
  }
}

/** An Atlas endpoint or endpoint service went to FAILED/REJECTED, or was not ready before its deadline. */
export class VendorStateError extends Error {
  override readonly name = 'VendorStateError' as const;
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/**
 * `finalize` reported an endpoint that cannot be the other party's for this request (unknown, for another
 * service, from another account): refused before the workflow resumes, which goes on waiting (HTTP 400/409, CLI exit 2).
 */
export class ConsumerEndpointRefusedError extends RequestRefusedError {
  override readonly name = 'ConsumerEndpointRefusedError' as const;
  constructor(
    /** ConsumerEndpointNotFound | ConsumerEndpointWrongService | ConsumerAccountMismatch | InvalidEndpointId */
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** Error names the state machine retries (besides the Lambda service's own). */
export const TRANSIENT_ERROR_NAMES = ['TransientAwsError', 'TransientAtlasError'] as const;

/** Error names whose messages start with "<code>: ". */
const CODED_ERROR_NAMES = new Set([
  'TransientAwsError',
  'AwsRequestError',
  'TransientAtlasError',
  'AtlasApiError',
  'VendorStateError',
  'EndpointStateError',
  'DnsChangeTimeoutError',
  'RemovalTimeoutError',
  'RemovalFailedError',
  'RequestValidationError',
  'RequestNotAllowedError',
  'PreconditionError',
]);

/**
 * Reads a Step Functions Catch payload ({ Error, Cause }) back into a code and a message.
 * Cause is Lambda's JSON ({ errorType, errorMessage, trace }) in AWS, or a plain message locally.
 */
export function describeCaughtError(caught: { Error?: unknown; Cause?: unknown }): {
  code: string;
  message: string;
} {
  const errorName = typeof caught.Error === 'string' ? caught.Error : 'Unknown';
  let message = typeof caught.Cause === 'string' ? caught.Cause : '';
  if (message.startsWith('{')) {
    try {
      const parsed = JSON.parse(message) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
    } catch {
      // not JSON after all: keep the text as it is
    }
  }
  if (CODED_ERROR_NAMES.has(errorName)) {
    const match = /^([A-Za-z][A-Za-z0-9._]*): ([\s\S]*)$/.exec(message);
    if (match?.[1] && match[2] !== undefined) return { code: match[1], message: match[2] };
  }
  // A bug of ours: its text describes our code, not the user's request; the function's logs keep it.
  if (PROGRAMMING_ERROR_NAMES.has(errorName))
    return { code: errorName, message: `an unexpected ${errorName} in the step; the function's logs have the details` };
  return { code: errorName, message: message || errorName };
}

/** JavaScript's own error types: what a bug throws. */
const PROGRAMMING_ERROR_NAMES = new Set([
  'Error',
  'TypeError',
  'ReferenceError',
  'RangeError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);
