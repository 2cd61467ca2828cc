// The time the steps see. Lambda uses the wall clock; the sandbox swaps in its simulated clock so
// deadlines and lifecycles advance with the workflow's waits instead of real sleeping.
import type { Clock } from './ports.ts';

/** A clock that can also pause (e.g. an adapter honouring Retry-After): the sandbox's moves its time instead. */
export type SleepingClock = Clock & { sleep?(ms: number): Promise<void> };

let current: SleepingClock = { now: () => Date.now() };

export const clock: Clock = { now: () => current.now() };

/** Pauses `ms` on the current clock: real time in AWS, simulated time on the sandbox. */
export function sleep(ms: number): Promise<void> {
  const pause = current.sleep;
  if (pause) return pause(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Replaces the clock; returns a function that restores the previous one. */
export function useClock(next: SleepingClock): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}
