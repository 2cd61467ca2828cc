// Poll schedules for the workflow's Wait → Check → Choice loops.

/** How long the workflow waits for an endpoint to become available before it gives up. */
export const ENDPOINT_DEADLINE_SECONDS = 60 * 60;
/** Route 53 documents changes reaching all servers within 60 s; give it ten times that. */
export const DNS_DEADLINE_SECONDS = 10 * 60;
/** Between re-entries of the undo step while an endpoint is being deleted. */
export const UNDO_WAIT_SECONDS = 15;
/** Teardown gives up (and says what it still waits for) after this long; deleting an endpoint takes minutes. */
export const TEARDOWN_DEADLINE_SECONDS = 30 * 60;

/**
 * Capped exponential backoff: 10, 20, 30, 30, … seconds. Endpoints take one to three minutes, so
 * the cap bounds how late we notice `available` (at most 30 s) while keeping polls few.
 */
export function nextEndpointPollSeconds(pollsSoFar: number): number {
  return Math.min(10 * 2 ** Math.max(0, pollsSoFar), 30);
}

/** A flat 10 s: a change usually syncs in under a minute and every second counts towards READY. */
export function nextDnsPollSeconds(): number {
  return 10;
}

/** Atlas's endpoint service: the Terraform provider waits an hour by default (VENDORS.md §2.1). */
export const ATLAS_SERVICE_DEADLINE_SECONDS = 60 * 60;
/** Connection strings come once the clusters are IDLE again; the provider waits up to two hours (§2.2). */
export const ATLAS_STRINGS_DEADLINE_SECONDS = 2 * 60 * 60;

/** Atlas creates its service in minutes: 10, 20, 30, 30 … s (the provider polls every 5 s at the least). */
export function nextAtlasPollSeconds(pollsSoFar: number): number {
  return Math.min(10 * 2 ** Math.max(0, pollsSoFar), 30);
}

/**
 * A person must act in a vendor's console, which can take hours: 30 s, 1, 2, 4 min, then every 5 min,
 * so a day's wait costs about 300 checks instead of 3,000.
 */
export function nextVendorPollSeconds(pollsSoFar: number): number {
  return Math.min(30 * 2 ** Math.max(0, pollsSoFar), 300);
}

/**
 * The check step polls inside one invocation for at most this long (its Lambda times out at 65 s, the
 * state at 75 s), so the workflow re-enters it about once per 50 s instead of waiting between Lambdas.
 */
export const CHECK_WINDOW_SECONDS = 50;
/** Between polls inside the window: READY comes at most this long (plus a few calls) after `available`. */
export const CHECK_INTERVAL_SECONDS = 3;
/**
 * Route 53 documents a change reaching all its servers "generally within 60 seconds": a change is
 * not asked about before this long after it was submitted, so it is usually seen INSYNC at the first
 * GetChange (one call per change), and asked again every CHECK_INTERVAL_SECONDS after a PENDING.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html
 */
export const DNS_FIRST_CHECK_SECONDS = 40;
/**
 * How long a step keeps repeating a throttled call itself before the state machine's Retry takes over
 * (which re-runs the whole step). Many requests at once on one account wait their turn for Route 53's
 * five requests per second: 200 requests' 1,600 calls take 320 s, so the budget covers that; the
 * step's Lambda timeout (360 s) and state TimeoutSeconds (420 s) leave room for the calls themselves.
 */
export const THROTTLE_BUDGET_SECONDS = 300;

/**
 * Capped exponential backoff with full jitter (AWS's recommendation for throttled calls): a random
 * pause in [0, min(cap, base·2^attempt)], so many callers throttled at once spread out instead of
 * retrying together. `random` is in [0, 1).
 * https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
 */
export function throttleBackoffSeconds(attempt: number, random: number, baseSeconds = 1, capSeconds = 10): number {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt));
  return Math.max(0.05, ceiling * Math.min(Math.max(random, 0), 1));
}
