// Which Atlas operation each state of a run calls, read from the sandbox's call counts (`atlas:<op>`)
// as the run goes, so a fault matrix follows the code instead of a list written beside it.
import { openEnvironment } from '../../src/core/app/environment.ts';
import { startProvision } from '../../src/core/app/provision.ts';
import { startTeardown } from '../../src/core/app/teardown.ts';
import { parseProvisionRequest } from '../../src/core/domain/request.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import type { RunEvent } from '../../src/core/runner/local-runner.ts';
import type { Sandbox } from '../../src/core/sandbox/index.ts';

/** One Atlas operation a state called (the first state of the run that did). */
export interface AtlasUse {
  operation: string;
  step: string;
}

/** Attributes the Atlas calls counted between two Task states to the first of them. */
function attribute(sandbox: Sandbox, record: (step: string, operation: string) => void) {
  let step: string | undefined;
  let before = sandbox.callCounts();
  const flush = () => {
    const now = sandbox.callCounts();
    for (const [counted, n] of Object.entries(now))
      if (step && counted.startsWith('atlas:') && n > (before[counted] ?? 0)) record(step, counted.slice(6));
    before = now;
  };
  return {
    onEvent: (event: RunEvent) => {
      if (event.type === 'entered' && event.stateType === 'Task') {
        flush();
        step = event.state;
      }
    },
    flush,
  };
}

export interface TracedRun {
  result: ProvisionResult;
  /** in call order of first use */
  uses: AtlasUse[];
}

/**
 * Provisions `request` (then tears it down when `teardown`) in this process on a sandbox directory,
 * with `faults`, and returns each phase's result and the Atlas operations each state called.
 */
export async function traceAtlasRun(
  stateDir: string,
  seedFile: string,
  request: unknown,
  options: { faults?: string[]; teardown?: boolean; afterProvision?: () => Promise<void> } = {},
): Promise<{ provision: TracedRun; teardown?: TracedRun }> {
  const env = await openEnvironment({ stateDir, seedFile, faults: options.faults ?? [] });
  try {
    const parsed = parseProvisionRequest(request);
    if (!parsed.ok || !env.sandbox) throw new Error('cannot trace an invalid request');
    const sandbox = env.sandbox;
    const phase = async (which: 'provision' | 'teardown'): Promise<TracedRun> => {
      const uses: AtlasUse[] = [];
      const seen = attribute(sandbox, (step, operation) => {
        if (!uses.some((u) => u.operation === operation && u.step === step)) uses.push({ operation, step });
      });
      const start =
        which === 'provision'
          ? await startProvision(env, parsed.request, seen.onEvent)
          : await startTeardown(env, parsed.request.requestId, seen.onEvent);
      if (start.kind !== 'started') throw new Error(`${which} did not start`);
      const result = await start.execution;
      seen.flush();
      return { result, uses };
    };
    const provision = await phase('provision');
    await env.save();
    await options.afterProvision?.();
    if (!options.teardown) return { provision };
    sandbox.clearFaults();
    return { provision, teardown: await phase('teardown') };
  } finally {
    await env.close();
  }
}
