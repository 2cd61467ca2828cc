// Two executions of one request (an event delivered twice, a start retried) interleaved step by step,
// in every order of their steps: both end READY on the same endpoint, and the account holds one of
// everything. Neither takes the other's "already exists" for a failure, so neither undoes anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEnvironment } from '../../src/core/app/environment.ts';
import { type ProvisionRequest, requireProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import { type RunOutcome, runWorkflow } from '../../src/core/runner/local-runner.ts';
import { schedulerFor } from '../../src/core/runner/sim-scheduler.ts';
import { example } from '../support/cli.ts';

/** Every sequence of `a` A's and `b` B's: who finishes its next step at each turn. */
function orders(a: number, b: number): string[] {
  if (a === 0) return ['B'.repeat(b)];
  if (b === 0) return ['A'.repeat(a)];
  return [...orders(a - 1, b).map((o) => `A${o}`), ...orders(a, b - 1).map((o) => `B${o}`)];
}

interface Interleaved {
  outcomes: RunOutcome[];
  steps: string[];
  inventory: {
    endpoints: unknown[];
    endpointServices: unknown[];
    hostedZones: { name: string; records: { name: string; type: string }[] }[];
  };
}

/** Where each execution holds between its steps, and who may go on. */
class Turns {
  private readonly resume = new Map<string, () => void>();
  private readonly arrived = new Map<string, () => void>();
  private readonly ended = new Set<string>();
  private free = false;

  /** From the execution's afterTask: says it is here, and holds until its next turn. */
  hold(who: string): Promise<void> {
    this.arrived.get(who)?.();
    if (this.free) return Promise.resolve();
    return new Promise((resolve) => this.resume.set(who, resolve));
  }

  end(who: string): void {
    this.ended.add(who);
    this.arrived.get(who)?.();
  }

  /** Resolves at `who`'s next hold or end. */
  next(who: string): Promise<void> {
    if (this.ended.has(who)) return Promise.resolve();
    return new Promise((resolve) => this.arrived.set(who, resolve));
  }

  go(who: string): void {
    const resume = this.resume.get(who);
    this.resume.delete(who);
    resume?.();
  }

  release(): void {
    this.free = true;
    for (const who of [...this.resume.keys()]) this.go(who);
  }
}

/**
 * Runs two executions of `request` on a fresh sandbox. Each holds after every task until the order
 * gives it the turn (its first turn starts it); a turn ends when that execution holds again or ends,
 * so its steps run whole, one at a time. Past the order both run freely.
 */
async function interleave(request: ProvisionRequest, order: string, seedFile: string): Promise<Interleaved> {
  const dir = await mkdtemp(join(tmpdir(), 'privatelink-interleave-'));
  const env = await openEnvironment({ stateDir: dir, seedFile });
  try {
    const account = env.sandbox;
    if (!account) throw new Error('no sandbox');
    const scheduler = schedulerFor(account);
    const turns = new Turns();
    const steps: string[] = [];
    const runs = new Map<string, Promise<RunOutcome>>();
    const start = (who: string) => {
      let current = '';
      const ended = runWorkflow({
        workflow: 'provision',
        input: { request, attempt: 1 },
        executionName: request.requestId,
        sandbox: account,
        onEvent: (event) => {
          if (event.type === 'entered' && event.stateType === 'Task') current = event.state;
        },
        afterTask: () => {
          steps.push(`${who}:${current}`);
          // Held runs are parked: the other run's simulated time goes on meanwhile.
          return scheduler.parkWhile(() => turns.hold(who));
        },
      });
      runs.set(
        who,
        ended.finally(() => turns.end(who)),
      );
    };
    for (const who of order) {
      const arrived = turns.next(who);
      if (runs.has(who)) turns.go(who);
      else start(who);
      await arrived;
    }
    turns.release();
    for (const who of ['A', 'B']) if (!runs.has(who)) start(who);
    const outcomes = await Promise.all(['A', 'B'].map((who) => runs.get(who) as Promise<RunOutcome>));
    return { outcomes, steps, inventory: account.inventory() as Interleaved['inventory'] };
  } finally {
    await env.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// The steps that create (the service, the endpoint, the zones and records) come first: every order of
// those three steps of each execution is tried, then both run freely to the end.
const CREATING_STEPS = ['EnsureEndpointService', 'CreateInterfaceEndpoint', 'UpsertDnsRecords'];

describe.each(['orders-nlb-tcp.json', 'atlas-replica-set.json'])(
  'two executions of %s, interleaved step by step',
  (file) => {
    it('every order of their creating steps ends with both READY on one endpoint, one of everything', async () => {
      const request = requireProvisionRequest(await example(file));
      const seed = new URL('../../examples/sandbox-seed.json', import.meta.url).pathname;
      const probe = await interleave(request, '', seed);
      const firstSteps = probe.steps.filter((s) => s.startsWith('A:')).slice(0, CREATING_STEPS.length);
      expect(firstSteps).toEqual(CREATING_STEPS.map((s) => `A:${s}`));
      const all = orders(CREATING_STEPS.length, CREATING_STEPS.length);
      const failures: string[] = [];
      for (const order of all) {
        const { outcomes, inventory, steps } = await interleave(request, order, seed);
        const results = outcomes.map((o) => (o.status === 'SUCCEEDED' ? (o.output as ProvisionResult) : undefined));
        // The order was kept: the first steps ran one at a time, in exactly that order.
        const ran = steps
          .slice(0, order.length)
          .map((s) => s[0])
          .join('');
        const ok =
          ran === order &&
          results.every((r) => r?.status === 'READY') &&
          results[0]?.endpoint?.endpointId === results[1]?.endpoint?.endpointId &&
          inventory.endpoints.length === 1 &&
          inventory.endpointServices.length === (results[0]?.service?.created ? 1 : 0) &&
          inventory.hostedZones.length === (results[0]?.dns?.zones.length ?? -1);
        if (!ok)
          failures.push(
            `${order}: ${steps.join(' ')} -> ${outcomes.map((o) => (o.status === 'FAILED' ? `${o.error}: ${o.cause}` : 'ok')).join(' / ')}`,
          );
      }
      console.log(
        `interleavings (${file}): ${all.length - failures.length}/${all.length} orders of two executions' creating steps ended both READY with one endpoint`,
      );
      expect(failures).toEqual([]);
    }, 300_000);
  },
);
