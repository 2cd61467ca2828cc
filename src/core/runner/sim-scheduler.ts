// Many executions on one simulated clock, as a discrete-event simulation: every pause of a run (a Wait
// state, a Retry's pause, a step's own `sleep`) is a wake-up time on the sandbox's clock, and the clock
// moves to the earliest wake-up only once every live run is paused. A single run therefore behaves as
// before (each pause moves the clock by its length), and 200 runs in one process (serve) see time pass
// as it would in AWS, where their waits overlap, instead of 200 times too fast.
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the scheduler moves: the sandbox's clock. */
export interface SimulatedClock {
  clock: { now(): number };
  advance(seconds: number): void;
  /** Optional: runs one run inside the account's own scope (the sandbox attributes its calls to the run). */
  runScope?<T>(fn: () => Promise<T>): Promise<T>;
}

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

export class SimScheduler {
  private live = 0;
  /** runs waiting on something outside the simulation (a task token): they hold no wake-up time */
  private parked = 0;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private settling = false;
  private readonly scope = new AsyncLocalStorage<SimScheduler>();

  constructor(private readonly account: SimulatedClock) {}

  /** How many runs are live (for the runner: the first joins, the last leaves). */
  get runs(): number {
    return this.live;
  }

  /** Runs `fn` as a live run: its pauses go through this scheduler. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.live += 1;
    try {
      const runScope = this.account.runScope?.bind(this.account);
      return await this.scope.run(this, runScope ? () => runScope(fn) : fn);
    } finally {
      this.live -= 1;
      this.settle();
    }
  }

  /** Whether the caller is inside one of this scheduler's runs. */
  inRun(): boolean {
    return this.scope.getStore() === this;
  }

  /** Pauses the calling run `ms` of simulated time. */
  sleep(ms: number): Promise<void> {
    const at = this.account.clock.now() + Math.max(0, Math.round(ms));
    return new Promise<void>((wake) => {
      this.sleepers.push({ at, seq: this.seq++, wake });
      this.settle();
    });
  }

  /** A pause from a step: the run's when inside one, else the clock simply moves (a lone caller). */
  pause(ms: number): Promise<void> {
    if (this.inRun()) return this.sleep(ms);
    this.account.advance(Math.max(0, ms) / 1000);
    return Promise.resolve();
  }

  /** While `waiting` is pending the run waits on the outside world: the others' time goes on without it. */
  async parkWhile<T>(waiting: () => Promise<T>): Promise<T> {
    this.parked += 1;
    this.settle();
    try {
      return await waiting();
    } finally {
      this.parked -= 1;
    }
  }

  /**
   * Looks again once the event loop has turned (setImmediate), so runs started or resumed in the same
   * turn are counted before the clock moves.
   */
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    setImmediate(() => {
      this.settling = false;
      this.advanceIfAllPaused();
    });
  }

  /** Moves the clock to the earliest wake-up once every live, unparked run is paused, and wakes those due. */
  private advanceIfAllPaused(): void {
    while (this.sleepers.length > 0 && this.sleepers.length >= this.live - this.parked) {
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.sleepers[0];
      if (!first) return;
      const now = this.account.clock.now();
      if (first.at > now) this.account.advance((first.at - now) / 1000);
      const due = this.account.clock.now();
      const woken = this.sleepers.filter((s) => s.at <= due);
      this.sleepers = this.sleepers.filter((s) => s.at > due);
      for (const sleeper of woken) sleeper.wake();
    }
  }
}

const schedulers = new WeakMap<SimulatedClock, SimScheduler>();

/** The one scheduler of a simulated account, shared by every run on it in this process. */
export function schedulerFor(account: SimulatedClock): SimScheduler {
  let scheduler = schedulers.get(account);
  if (!scheduler) {
    scheduler = new SimScheduler(account);
    schedulers.set(account, scheduler);
  }
  return scheduler;
}
