// In-call retries for Atlas's transient answers: 429 and 5xx (after Retry-After, SPEC L11-14) and
// failures below HTTP. A few short ones here; longer waits are the state machine's (TransientAtlasError
// carries retryAfterSeconds for it), so a Lambda never sleeps through its own timeout.
import type { TransientAtlasError } from '../errors.ts';
import type { AtlasOperation } from './operations.ts';
import {
  isNetworkFailure,
  isTransientStatus,
  parseErrorBody,
  retryAfterSeconds,
  transientAtlasError,
  translateNetworkError,
} from './translate-error.ts';

export interface RetryPolicy {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** the longest Retry-After honoured in the call; a longer one is left to the caller */
  maxRetryAfterSeconds: number;
  /** retries after the first attempt */
  retries: number;
}

/** Pause before retry n (0-based) when Atlas names none: 1 s, 2 s, 4 s … */
const backoffMs = (retry: number) => 1000 * 2 ** retry;

/**
 * Runs `attempt` until it answers something other than 429/5xx, or the retries are spent. Returns that
 * answer (2xx or a 4xx for the caller to read); throws TransientAtlasError when Atlas stays unavailable.
 */
export async function withRetries(
  operation: AtlasOperation,
  policy: RetryPolicy,
  attempt: () => Promise<Response>,
): Promise<Response> {
  for (let retry = 0; ; retry++) {
    let failure: TransientAtlasError;
    try {
      const response = await attempt();
      if (!isTransientStatus(response.status)) return response;
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), policy.now());
      const body = parseErrorBody(await response.text(), response.status, response.statusText);
      failure = transientAtlasError(operation, response.status, body, retryAfter);
    } catch (error) {
      if (!isNetworkFailure(error)) throw error;
      failure = translateNetworkError(operation, error);
    }
    const wait = failure.retryAfterSeconds;
    if (retry >= policy.retries || (wait !== undefined && wait > policy.maxRetryAfterSeconds)) throw failure;
    await policy.sleep(wait === undefined ? backoffMs(retry) : wait * 1000);
  }
}
