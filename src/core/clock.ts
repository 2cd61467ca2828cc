// The time the steps see. Lambda uses the wall clock; the sandbox swaps in its simulated clock so
// deadlines and lifecycles advance with the workflow's waits instead of real sleeping.
import type { Clock } from './ports.ts';

let current: Clock = { now: () => Date.now() };

export const clock: Clock = { now: () => current.now() };

/** Replaces the clock; returns a function that restores the previous one. */
export function useClock(next: Clock): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}
