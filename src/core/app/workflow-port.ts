// The HTTP and Slack handlers' one side effect: the workflows. In Lambda it is Step Functions
// (sfn-workflows.ts); in `privatelink serve` it is the local runner over the sandbox (local-workflows.ts).
export { NothingWaitingError } from './hand-off.ts';

import type { ProvisionRequest } from '../domain/request.ts';
import type { ProvisionResult } from '../domain/result.ts';

/** A listed request whose result could not be read this time (the rest of the page still is). */
export interface UnreadableResult {
  requestId: string;
  error: { code: string; message: string };
}

export interface ResultPage {
  items: ProvisionResult[];
  /** listed requests whose result could not be read; absent when there are none */
  unreadable?: UnreadableResult[];
  /** opaque: pass back as ?next= for the following page */
  next?: string;
}

export interface WorkflowPort {
  /**
   * Starts (or finds) the provisioning of `request`, named after its request id. `started` is false
   * when an execution with that id and body exists already. Throws RequestConflictError for the same
   * id with another body.
   */
  startProvision(request: ProvisionRequest): Promise<{ started: boolean; result: ProvisionResult }>;
  /** The result as it stands, or undefined when the request id is unknown. */
  getResult(requestId: string): Promise<ProvisionResult | undefined>;
  listResults(page: { limit: number; next?: string }): Promise<ResultPage>;
  /** Starts the teardown; undefined when the request id is unknown. */
  startTeardown(requestId: string): Promise<ProvisionResult | undefined>;
  /** Hands the other party's endpoint to a workflow waiting for it; NothingWaitingError when none is. */
  /** `dnsName`: the endpoint's DNS name, when the other party reports it with the id */
  finalize(requestId: string, endpointId: string, dnsName?: string): Promise<void>;
}

/** The workflow service is throttling us or at its limit of open executions: try again shortly (HTTP 503). */
export class WorkflowsBusyError extends Error {
  override readonly name = 'WorkflowsBusyError' as const;
  readonly code = 'ServiceBusy';
}

/** How a list reports a result it could not read: an AWS error's name (never its text: it can carry ARNs), or Unreadable. */
export function unreadableResult(requestId: string, error: unknown): UnreadableResult {
  const code =
    error instanceof WorkflowsBusyError || error instanceof NotReadInTimeError
      ? error.code
      : error instanceof Error && '$metadata' in error && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(error.name)
        ? error.name
        : 'Unreadable';
  return {
    requestId,
    error: { code, message: `the result could not be read just now; GET /endpoints/${requestId} tries again` },
  };
}

/** A listed result not read because the page's time ran out (GET /endpoints/{id} reads it alone). */
export class NotReadInTimeError extends Error {
  override readonly name = 'NotReadInTimeError' as const;
  readonly code = 'NotReadInTime';
}

/** An opaque page token over a sorted key: base64url of the last key seen. */
export function encodePageToken(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): string | undefined {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  return /^[A-Za-z0-9_-]{1,64}$/.test(key) ? key : undefined;
}
