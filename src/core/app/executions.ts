// Running a workflow as a recorded execution (what Step Functions does in AWS), shared by the
// provision and teardown use cases: the record is written when it starts, at every task and at the
// end; starts of one request are serialized in this process, and an execution whose process died
// (a crash, a killed terminal) is known as interrupted so a re-run carries on instead of waiting forever.
import type { ProvisionResult } from '../domain/result.ts';
import type { WorkflowName } from '../runner/definitions.ts';
import type { ExecutionRecord } from '../runner/execution-store.ts';
import { type RunEvent, runWorkflow } from '../runner/local-runner.ts';
import { progressOf, resultOf } from '../runner/results.ts';
import { Sandbox } from '../sandbox/index.ts';
import type { Environment } from './environment.ts';
import { handOffFor, taskTokenOf, type WaitDeadline, waitingForOf } from './hand-off.ts';
import { localIntegrations } from './local-integrations.ts';

export type ExecutionStart =
  | { kind: 'existing'; result: ProvisionResult }
  | { kind: 'started'; execution: Promise<ProvisionResult> };

export type ProgressListener = (event: RunEvent, elapsedSeconds: number) => void;

/** Executions running in this process, by state directory, workflow and request. */
const live = new Set<string>();
const locks = new Map<string, Promise<unknown>>();

const keyOf = (env: Environment, workflow: WorkflowName, requestId: string) =>
  `${env.stateDir}\u0000${workflow}\u0000${requestId}`;

/** Runs `fn` after every earlier call with the same key has finished (per request, in this process). */
export async function serialized<T>(env: Environment, requestId: string, fn: () => Promise<T>): Promise<T> {
  const key = keyOf(env, 'provision', requestId);
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** RUNNING and really running: in this process, or in another process that is still alive. */
export function isLive(env: Environment, record: ExecutionRecord | undefined): boolean {
  if (record?.status !== 'RUNNING') return false;
  if (record.pid === undefined) return true;
  if (record.pid === process.pid) return live.has(keyOf(env, record.workflow, record.requestId));
  return processAlive(record.pid);
}

/** The next attempt and its execution name: `base`, then `base-2`, `base-3`, … (Step Functions names are unique). */
export function nextExecution(
  base: string,
  previous: ExecutionRecord | undefined,
): { attempt: number; executionName: string } {
  const attempt = previous ? (previous.attempt ?? Number(/-(\d+)$/.exec(previous.executionName)?.[1] ?? 1)) + 1 : 1;
  return { attempt, executionName: attempt === 1 ? base : `${base}-${attempt}` };
}

/**
 * A task token wait's deadline, from now: on the sandbox's simulated clock, which the workflow's own
 * waits and `privatelink sandbox advance` move (from this process, or from another one through the
 * saved sandbox), or on the wall clock against AWS.
 */
export function waitDeadline(env: Environment, timeoutSeconds: number): WaitDeadline {
  const { sandbox } = env;
  if (!sandbox) return { timeoutSeconds, at: Date.now() + timeoutSeconds * 1000, now: () => Date.now() };
  return {
    timeoutSeconds,
    at: sandbox.clock.now() + timeoutSeconds * 1000,
    now: () => sandbox.clock.now(),
    onClockAdvance: (wake) => sandbox.onClockAdvance(wake),
    catchUp: async () => {
      // An unreadable saved sandbox only means no news from other processes: the wait goes on.
      const saved = await Sandbox.load(env.stateDir).then(
        (loaded) => loaded?.clock.now() ?? 0,
        () => 0,
      );
      if (saved > sandbox.clock.now()) sandbox.advance((saved - sandbox.clock.now()) / 1000);
    },
  };
}

/** Writes the RUNNING record, then runs the workflow in the background, recording progress and the end. */
export async function startRecorded(
  env: Environment,
  start: Omit<ExecutionRecord, 'status' | 'startedAt' | 'pid'>,
  onEvent?: ProgressListener,
): Promise<{ execution: Promise<ProvisionResult> }> {
  const record: ExecutionRecord = {
    ...start,
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    pid: process.pid,
  };
  const key = keyOf(env, record.workflow, record.requestId);
  // Writes are chained so a progress update never lands after the final record.
  let writes = env.store.put(record);
  const write = (next: ExecutionRecord) => {
    writes = writes.then(() => env.store.put(next));
    return writes;
  };
  await writes;
  live.add(key);

  const execution = (async () => {
    try {
      const outcome = await runWorkflow({
        workflow: record.workflow,
        input: record.input,
        executionName: record.executionName,
        ...(env.sandbox && { sandbox: env.sandbox }),
        onEvent: (event, elapsed) => {
          if (event.type === 'entered' && event.stateType === 'Task') {
            record.currentStep = event.state;
            void write({ ...record });
          }
          // What someone else must do (a vendor's console, the other party's endpoint): shown while it waits.
          const progress = progressOf(event);
          if (progress && JSON.stringify(progress) !== JSON.stringify(record.progress)) {
            record.progress = progress;
            void write({ ...record });
          }
          onEvent?.(event, elapsed);
        },
        afterTask: () => env.save(),
        // consumer.external: WaitForConsumer waits here until finalize reports the endpoint (hand-off.ts),
        // or until its TimeoutSeconds have passed on the run's clock
        waitForTaskToken: (_state, input, { timeoutSeconds }) =>
          handOffFor(env.stateDir).wait(record.requestId, taskTokenOf(input), waitingForOf(input), {
            ...(timeoutSeconds !== undefined && { deadline: waitDeadline(env, timeoutSeconds) }),
          }),
        // events:putEvents and NotifySlack: recorded in the state directory, nothing leaves the machine
        localTasks: localIntegrations(env, record.workflow, record.executionName),
      });
      const done: ExecutionRecord = {
        ...record,
        status: outcome.status,
        stoppedAt: new Date().toISOString(),
        stats: outcome.stats,
        ...(outcome.status === 'SUCCEEDED'
          ? { output: outcome.output }
          : { error: outcome.error, cause: outcome.cause }),
      };
      if (env.kind === 'aws') delete done.stats;
      await write(done);
      await env.save();
      return resultOf(done);
    } finally {
      live.delete(key);
    }
  })();
  return { execution };
}
