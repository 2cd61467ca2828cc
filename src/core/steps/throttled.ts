// Throttled calls retried inside the step: Route 53 allows five requests per second per account and EC2
// meters each API with a token bucket, so many requests at once are throttled as a matter of course.
// Re-running the whole step (the state machine's Retry) would repeat every call before the throttled
// one; pausing and repeating just that call costs nothing more. Past the budget the error goes to Retry.
import { sleep as clockSleep } from '../clock.ts';
import { THROTTLE_BUDGET_SECONDS, throttleBackoffSeconds } from '../domain/polling.ts';
import { TransientAwsError } from '../errors.ts';
import type { Clock } from '../ports.ts';

/** What AWS answers when an account goes over a request rate (Route 53; EC2). */
const THROTTLE_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

export function isThrottled(error: unknown): boolean {
  return error instanceof TransientAwsError && THROTTLE_CODES.has(error.code);
}

/** A clock that may pause (a test's, or the sandbox's); else the process clock's sleep. */
export type PausingClock = Clock & { sleep?(ms: number): Promise<void> };

export function pause(clock: PausingClock, seconds: number): Promise<void> {
  const ms = Math.round(seconds * 1000);
  return clock.sleep ? clock.sleep(ms) : clockSleep(ms);
}

/** Calls `call`, pausing with jittered backoff and calling again while it is throttled, within the budget. */
export async function retryThrottled<T>(
  clock: PausingClock,
  call: () => Promise<T>,
  budgetSeconds = THROTTLE_BUDGET_SECONDS,
  random: () => number = Math.random,
  baseSeconds = 1,
): Promise<T> {
  const giveUpAt = clock.now() + budgetSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottled(error)) throw error;
      const wait = throttleBackoffSeconds(attempt, random(), baseSeconds, 30);
      if (clock.now() + wait * 1000 > giveUpAt) throw error;
      await pause(clock, wait);
    }
  }
}

/**
 * A port whose every method repeats throttled calls (retryThrottled, its first pause up to
 * `baseSeconds`) until `budgetSeconds` from now are spent; e.g. `retryingPort(ports.route53, ports.clock)`.
 */
export function retryingPort<T extends object>(
  port: T,
  clock: PausingClock,
  budgetSeconds = THROTTLE_BUDGET_SECONDS,
  baseSeconds = 1,
): T {
  const giveUpAt = clock.now() + budgetSeconds * 1000;
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        retryThrottled(
          clock,
          () => value.apply(target, args),
          Math.max(0, (giveUpAt - clock.now()) / 1000),
          Math.random,
          baseSeconds,
        );
    },
  });
}
