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
