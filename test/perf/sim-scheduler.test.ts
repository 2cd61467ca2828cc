// Many runs on one simulated clock: the clock moves to the earliest wake-up only once every live run
// is paused, so overlapping waits overlap instead of adding up. Positions on the simulated clock are
// the scheduler's logic, not timings of this machine.
import { describe, expect, it } from 'vitest';
import { SimScheduler } from '../../src/core/runner/sim-scheduler.ts';

function account() {
  let now = 0;
  const advances: number[] = [];
  return {
    clock: { now: () => now },
    advance(seconds: number) {
      advances.push(seconds);
      now += Math.round(seconds * 1000);
    },
    advances,
  };
}

describe('SimScheduler', () => {
  it('one run: each pause moves the clock by its length, as before', async () => {
    const a = account();
    const s = new SimScheduler(a);
    await s.run(async () => {
      await s.sleep(10_000);
      await s.sleep(5_000);
    });
    expect(a.clock.now()).toBe(15_000);
    expect(a.advances).toEqual([10, 5]);
  });

  it('three runs waiting 10, 20 and 30 s at once: the clock ends at 30 s, not 60', async () => {
    const a = account();
    const s = new SimScheduler(a);
    const woke: [string, number][] = [];
    await Promise.all(
      (
        [
          ['a', 30_000],
          ['b', 10_000],
          ['c', 20_000],
        ] as const
      ).map(([name, ms]) =>
        s.run(async () => {
          await s.sleep(ms);
          woke.push([name, a.clock.now()]);
        }),
      ),
    );
    expect(woke).toEqual([
      ['b', 10_000],
      ['c', 20_000],
      ['a', 30_000],
    ]);
    expect(a.clock.now()).toBe(30_000);
  });

  it('holds the clock while any live run is busy', async () => {
    const a = account();
    const s = new SimScheduler(a);
    let release = () => {};
    const busy = new Promise<void>((r) => {
      release = r;
    });
    const sleeper = s.run(() => s.sleep(60_000));
    const worker = s.run(() => busy);
    await new Promise((r) => setImmediate(r));
    expect(a.clock.now()).toBe(0);
    release();
    await Promise.all([sleeper, worker]);
    expect(a.clock.now()).toBe(60_000);
  });

  it('a parked run (waiting on the outside world) does not hold the others', async () => {
    const a = account();
    const s = new SimScheduler(a);
    let report = () => {};
    const reported = new Promise<void>((r) => {
      report = r;
    });
    const parked = s.run(() => s.parkWhile(() => reported));
    await s.run(() => s.sleep(45_000));
    expect(a.clock.now()).toBe(45_000);
    report();
    await parked;
  });

  it('a pause outside any run moves the clock at once', async () => {
    const a = account();
    const s = new SimScheduler(a);
    await s.pause(2_000);
    expect(a.clock.now()).toBe(2_000);
    expect(s.inRun()).toBe(false);
  });
});
