// Running a workflow as a recorded execution (what Step Functions does in AWS), shared by the
// provision and teardown use cases: the record is written when it starts, at every task and at the
// end; starts of one request are serialized across processes (a lock in the state directory), and
// an execution whose process died (a crash, a killed terminal) is known as interrupted, by the
// process's pid and start time (a reused pid is not taken for it), so a re-run carries on.
import type { ProvisionResult } from '../domain/result.ts';
import { attemptOf, type ExecutionRecord, ExecutionSupersededError } from '../runner/execution-store.ts';
import { type RunEvent, runWorkflow } from '../runner/local-runner.ts';
import { progressOf, resultOf } from '../runner/results.ts';
import { Sandbox } from '../sandbox/index.ts';
import { processIdentity } from '../sandbox/shared-state.ts';
import { clearCancel, RequestCancelledError, watchCancel } from './cancel.ts';
import type { Environment } from './environment.ts';
import { handOffFor, taskTokenOf, type WaitDeadline, waitingForOf } from './hand-off.ts';
import { localIntegrations } from './local-integrations.ts';

export type ExecutionStart =
  | { kind: 'existing'; result: ProvisionResult }
  | { kind: 'started'; execution: Promise<ProvisionResult> };

export type ProgressListener = (event: RunEvent, elapsedSeconds: number) => void;

/**
 * Runs `fn` holding the request's lock (provisioning and teardown alike): after every earlier call
 * for the request has finished, in this process and in any other on the same state directory.
 */
export async function serialized<T>(env: Environment, requestId: string, fn: () => Promise<T>): Promise<T> {
  return env.store.withRequestLock(requestId, fn);
}

/** RUNNING and really running: in this process, or in another process that is still alive (store.get marks the rest). */
export function isLive(_env: Environment, record: ExecutionRecord | undefined): boolean {
  return record?.status === 'RUNNING' && !record.interrupted;
}

/** The next attempt and its execution name: `base`, then `base-2`, `base-3`, … (Step Functions names are unique). */
export function nextExecution(
  base: string,
  previous: ExecutionRecord | undefined,
): { attempt: number; executionName: string } {
  const attempt = previous ? attemptOf(previous) + 1 : 1;
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

/**
 * Writes the RUNNING record, then runs the workflow in the background, recording progress and the end.
 * Should a later attempt take the request over meanwhile, this one's writes are refused (its progress
 * stops being recorded) and its end fails with ExecutionSupersededError.
 */
export async function startRecorded(
  env: Environment,
  start: Omit<ExecutionRecord, 'status' | 'startedAt' | 'pid' | 'owner' | 'revision' | 'interrupted'>,
  onEvent?: ProgressListener,
): Promise<{ execution: Promise<ProvisionResult> }> {
  const record: ExecutionRecord = {
    ...start,
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    owner: processIdentity(),
    // still read by older copies of this code that share the directory
    pid: process.pid,
  };
  // Writes are chained so a progress update never lands after the final record; each carries the
  // revision the previous one wrote, so the store refuses it if anyone else wrote in between.
  let revision: number | undefined;
  let superseded: unknown;
  const put = async (next: ExecutionRecord) => {
    if (superseded) return;
    try {
      const { revision: _, ...fields } = next;
      revision = (await env.store.put({ ...fields, ...(revision !== undefined && { revision }) })).revision;
    } catch (error) {
      if (!(error instanceof ExecutionSupersededError)) throw error;
      superseded = error;
    }
  };
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const write = (next: ExecutionRecord) => {
    writes = writes
      .then(() => put(next))
      .catch((error) => {
        writeError ??= error;
      });
    return writes;
  };
  const stopRunning = env.store.markRunning(record);
  try {
    await env.store.put(record).then((written) => {
      revision = written.revision;
    });
  } catch (error) {
    stopRunning();
    throw error;
  }

  // Teardown (or DELETE) of a request that waits on someone cancels its provisioning (cancel.ts).
  const cancel = record.workflow === 'provision' ? watchCancel(env.stateDir, record.requestId) : undefined;
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
        // Pinecone-style vendors: the run waits for `sandbox vendor accept|reject` (or `sandbox advance`)
        // from another terminal, in real time, instead of racing through its simulated deadline.
        waitOnPerson: (_state, input) => {
          const endpoint = (input as { endpoint?: { endpointId?: string; action?: unknown } } | undefined)?.endpoint;
          const { sandbox } = env;
          if (!sandbox || !endpoint?.action || !endpoint.endpointId || !sandbox.waitsForPerson(endpoint.endpointId))
            return undefined;
          return sandbox.untilChangedElsewhere(cancel?.signal);
        },
        afterTask: async () => {
          await env.save();
          cancel?.check();
        },
        // consumer.external: WaitForConsumer waits here until finalize reports the endpoint (hand-off.ts),
        // or until its TimeoutSeconds have passed on the run's clock
        waitForTaskToken: (_state, input, { timeoutSeconds }) =>
          handOffFor(env.stateDir)
            .wait(record.requestId, taskTokenOf(input), waitingForOf(input), {
              ...(timeoutSeconds !== undefined && { deadline: waitDeadline(env, timeoutSeconds) }),
              ...(cancel && { signal: cancel.signal }),
            })
            .catch((error: unknown) => {
              if (error instanceof RequestCancelledError) cancel?.consume();
              throw error;
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
      if (writeError) throw writeError;
      if (superseded) throw superseded;
      await env.save();
      return resultOf(done);
    } finally {
      cancel?.stop();
      if (cancel) await clearCancel(env.stateDir, record.requestId);
      stopRunning();
    }
  })();
  return { execution };
}
