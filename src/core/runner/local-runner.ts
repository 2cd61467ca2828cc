// Runs a statemachines/ definition in-process with aws-local-stepfunctions. Tasks call the Lambda
// handler modules directly; on the sandbox, Wait states, Retry pauses and the steps' own `sleep` pause
// the run on the simulated clock instead of sleeping (sim-scheduler.ts: with several runs in one process
// the clock moves only once all of them are paused), so a provisioning that takes minutes in AWS takes
// about a second here.
import './polyfill.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import { eventBusOfExecution, type TerminalExecution, terminalFailureResult } from '../app/terminal-failure.ts';
import { useClock } from '../clock.ts';
import {
  type AslDefinition,
  loadDefinition,
  resolveDefinition,
  taskFunctions,
  type WorkflowName,
} from './definitions.ts';
import { FUNCTIONS, type Handler } from './functions.ts';
import { type SimScheduler, schedulerFor } from './sim-scheduler.ts';

/** What the runner needs from the sandbox: its clock and its call counts. */
export interface SimulatedAccount {
  clock: { now(): number };
  advance(seconds: number): void;
  callCounts(): Record<string, number>;
  /**
   * Optional: how the simulated latency of each call passes. The runner gives the sandbox a pause
   * that makes the calling run wait on the shared clock (undefined outside a run: the clock moves).
   */
  useLatency?(pause: (ms: number) => Promise<void> | undefined): () => void;
}

export type RunEvent =
  | { type: 'entered'; state: string; stateType: string; input: unknown; waitSeconds?: number }
  | { type: 'exited'; state: string; stateType: string; output: unknown }
  | { type: 'failed'; state: string; stateType: string; error: string; cause: string }
  | { type: 'retried'; state: string; attempt: number; pauseSeconds: number };

export interface RunOptions {
  workflow: WorkflowName;
  input: unknown;
  executionName: string;
  sandbox?: SimulatedAccount;
  onEvent?: (event: RunEvent, elapsedSeconds: number) => void;
  /** after every task, e.g. to persist the sandbox */
  afterTask?: () => Promise<void>;
  /**
   * Runs the `.waitForTaskToken` states (which the local library would send to Lambda): gets the
   * state's input after Parameters (the token is `$$.Task.Token`) and its TimeoutSeconds, and resolves
   * with the task's output. The wait itself keeps the deadline on the clock the run uses (the library
   * only knows the wall clock) and fails with a `States.Timeout` error past it.
   */
  waitForTaskToken?: (state: string, input: unknown, limits: { timeoutSeconds?: number }) => Promise<unknown>;
  /**
   * A Wait state's input says the run waits on a person (nothing in the simulation will act): the
   * promise returned holds the run (parked, so other runs' time goes on) instead of its seconds passing.
   */
  waitOnPerson?: (state: string, input: unknown) => Promise<void> | undefined;
  /**
   * Task states run locally, by state name: service integrations (e.g. `events:putEvents`), which have
   * no handler module, and Lambda tasks whose side effect must stay on this machine (e.g. NotifySlack).
   */
  localTasks?: Record<string, (input: unknown) => Promise<unknown>>;
}

export interface RunStats {
  simulatedSeconds: number;
  stateTransitions: number;
  awsCalls: Record<string, number>;
}

export type RunOutcome =
  | { status: 'SUCCEEDED'; output: unknown; stats: RunStats }
  | { status: 'FAILED'; error: string; cause: string; stats: RunStats };

/** Where local executions pretend to run: the ARNs `$$.Execution.Id` and the recorded events carry. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '111122223333';

export function localStateMachineArn(workflow: WorkflowName): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:privatelink-${workflow}`;
}

export function localExecutionArn(workflow: WorkflowName, executionName: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:privatelink-${workflow}:${executionName}`;
}

type Retrier = { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number };

/** The pause before retry `attempt` (1-based), without jitter: the upper bound AWS would wait. */
export function retryPauseSeconds(retrier: Retrier, attempt: number): number {
  const pause = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  return Math.min(pause, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
}

/** Resolves the simple `$.a.b` paths our Wait states use. */
export function readPath(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) throw new Error(`unsupported path ${path}`);
  let value: unknown = input;
  for (const key of path.split('.').slice(1)) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

export function waitSeconds(state: Record<string, unknown>, input: unknown): number {
  if (typeof state.Seconds === 'number') return state.Seconds;
  if (typeof state.SecondsPath === 'string') {
    const seconds = readPath(input, state.SecondsPath);
    if (typeof seconds === 'number') return seconds;
  }
  return 0;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Lets the event-log consumer catch up (it runs on microtasks) before a task reads the clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function diffCounts(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) out[op] = n - (before[op] ?? 0);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** A run's pauses on the simulated clock: Retry pauses announced by the event log, taken before the retry. */
interface RunPauses {
  scheduler?: SimScheduler;
  /** seconds the next task call waits first (a Retry's pause) */
  pending: number;
  /** throws once the execution's own deadline (the definition's TimeoutSeconds) has passed on the run's clock */
  checkDeadline?: () => void;
}

async function pauseBeforeTask(pauses: RunPauses): Promise<void> {
  await settle();
  const seconds = pauses.pending;
  pauses.pending = 0;
  if (seconds > 0 && pauses.scheduler) await pauses.scheduler.sleep(seconds * 1000);
  pauses.checkDeadline?.();
}

/** The execution passed its TimeoutSeconds: Step Functions ends it TIMED_OUT, no Catch runs. */
export class ExecutionTimedOutError extends Error {
  override readonly name = 'States.Timeout' as const;
}

export const PUT_EVENTS_RESOURCE = 'arn:aws:states:::events:putEvents';

async function bindTasks(definition: AslDefinition, pauses: RunPauses, afterTask?: () => Promise<void>) {
  const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  for (const [stateName, fn] of Object.entries(taskFunctions(definition))) {
    const load = FUNCTIONS[fn];
    if (!load) throw new Error(`state ${stateName} calls ${fn}, which has no handler module`);
    const handler: Handler = (await load()).handler;
    handlers[stateName] = async (input) => {
      await pauseBeforeTask(pauses);
      try {
        // Step Functions passes JSON both ways: no shared references, no Dates.
        return jsonCopy(await handler(jsonCopy(input))) as JsonValue;
      } finally {
        await afterTask?.();
      }
    };
  }
  return handlers;
}

/** Longer than any run: setTimeout's limit is about 24 days. */
const UNTIMED_TASK_SECONDS = 2_000_000;

/** The Resource of a Wait state run as a local task on the sandbox (never called: its handler is local). */
const LOCAL_WAIT_RESOURCE = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:privatelink-local-wait`;

/**
 * On the sandbox each Wait state becomes a local task that pauses its run on the shared clock (the
 * library itself would only sleep on the wall clock); events still report it as the Wait it is.
 */
function waitsAsTasks(resolved: AslDefinition, waitStates: string[]): AslDefinition {
  const states = { ...resolved.States };
  // A task's TimeoutSeconds is Lambda's wall clock: here a task waits for other runs' simulated time, so
  // the library (which only knows the wall clock, and times out after 60 s without TimeoutSeconds) must
  // not time it out. The task-token wait keeps its deadline on the simulated clock (waitForTaskToken's limits).
  for (const [name, state] of Object.entries(states))
    if (state.Type === 'Task') states[name] = { ...state, TimeoutSeconds: UNTIMED_TASK_SECONDS };
  for (const name of waitStates) {
    const task: Record<string, unknown> = { ...states[name], Type: 'Task', Resource: LOCAL_WAIT_RESOURCE };
    for (const field of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']) delete task[field];
    states[name] = task as AslDefinition['States'][string];
  }
  return { ...resolved, States: states };
}

const sharedClocks = new WeakMap<SimScheduler, { users: number; restore: () => void }>();

/**
 * While runs are live on the account, the steps' `sleep` (src/core/clock.ts) and, where the sandbox
 * offers it, each call's simulated latency pause the calling run instead of moving everybody's clock.
 */
function shareClock(sandbox: SimulatedAccount, scheduler: SimScheduler): () => void {
  let shared = sharedClocks.get(scheduler);
  if (!shared) {
    const restoreClock = useClock({ now: () => sandbox.clock.now(), sleep: (ms) => scheduler.pause(ms) });
    const restoreLatency = sandbox.useLatency?.((ms) => (scheduler.inRun() ? scheduler.sleep(ms) : undefined));
    const entry = {
      users: 0,
      restore: () => {
        restoreLatency?.();
        restoreClock();
      },
    };
    sharedClocks.set(scheduler, entry);
    shared = entry;
  }
  shared.users += 1;
  const entry = shared;
  return () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    sharedClocks.delete(scheduler);
    entry.restore();
  };
}

export async function runWorkflow(options: RunOptions): Promise<RunOutcome> {
  const { sandbox } = options;
  if (!sandbox) return execute(options, undefined);
  const scheduler = schedulerFor(sandbox);
  const release = shareClock(sandbox, scheduler);
  try {
    return await scheduler.run(() => execute(options, scheduler));
  } finally {
    release();
  }
}

async function execute(options: RunOptions, scheduler: SimScheduler | undefined): Promise<RunOutcome> {
  const definition = loadDefinition(options.workflow);
  const { sandbox } = options;
  const startMs = sandbox?.clock.now() ?? Date.now();
  const callsBefore = sandbox?.callCounts() ?? {};
  const zero = (names: string[]) => Object.fromEntries(names.map((n) => [n, 0]));
  const waitStates = Object.keys(definition.States).filter((n) => definition.States[n]?.Type === 'Wait');
  const retryStates = Object.keys(definition.States).filter((n) => Array.isArray(definition.States[n]?.Retry));
  const resolved = scheduler ? waitsAsTasks(resolveDefinition(definition), waitStates) : resolveDefinition(definition);
  const pauses: RunPauses = { pending: 0, ...(scheduler && { scheduler }) };
  // The execution's TimeoutSeconds on the run's clock (the library keeps it on the wall clock only, which
  // the sandbox's simulated waits never move): past it the run stops at its next state, TIMED_OUT.
  const now = () => sandbox?.clock.now() ?? Date.now();
  let timedOut = false;
  let abortRun: (() => void) | undefined;
  if (typeof definition.TimeoutSeconds === 'number') {
    const deadlineMs = startMs + definition.TimeoutSeconds * 1000;
    pauses.checkDeadline = () => {
      if (!timedOut && now() <= deadlineMs) return;
      timedOut = true;
      abortRun?.();
      throw new ExecutionTimedOutError(`the execution passed its TimeoutSeconds (${definition.TimeoutSeconds} s)`);
    };
  }

  const handlers = await bindTasks(definition, pauses, options.afterTask);
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const integration = typeof state.Resource === 'string';
    if (!integration && !options.localTasks?.[name]) continue;
    const waitForToken = options.waitForTaskToken;
    const local =
      integration && String(state.Resource).endsWith('.waitForTaskToken')
        ? waitForToken &&
          ((input: unknown) => {
            const wait = () =>
              waitForToken(name, input, {
                ...(typeof state.TimeoutSeconds === 'number' && { timeoutSeconds: state.TimeoutSeconds }),
              });
            // Waiting for the other party: the other runs' time goes on meanwhile.
            return scheduler ? scheduler.parkWhile(wait) : wait();
          })
        : options.localTasks?.[name];
    handlers[name] = async (input) => {
      if (!local) throw new Error(`state ${name} (${String(state.Resource)}) has no local handler`);
      await pauseBeforeTask(pauses);
      return jsonCopy(await local(jsonCopy(input))) as JsonValue;
    };
  }
  if (scheduler)
    for (const name of waitStates) {
      const stateDef = definition.States[name] ?? {};
      handlers[name] = async (input) => {
        // A wait on a person (a vendor's console) holds the run until someone acts, not the clock.
        const person = options.waitOnPerson?.(name, input);
        if (person) await scheduler.parkWhile(() => person);
        else await scheduler.sleep(waitSeconds(stateDef, input) * 1000);
        pauses.checkDeadline?.();
        return input;
      };
    }
  const machine = new StateMachine(resolved as never, { validationOptions: { checkPaths: true } });
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      ...(sandbox && { waitTimeOverrides: zero(waitStates), retryIntervalOverrides: zero(retryStates) }),
    },
    context: {
      Execution: {
        Id: localExecutionArn(options.workflow, options.executionName),
        Name: options.executionName,
        Input: options.input as never,
        StartTime: new Date(startMs).toISOString(),
      },
      // One token per execution: only one state at a time waits on it.
      Task: { Token: `local:${options.executionName}` },
    },
  });
  abortRun = () => execution.abort();

  let transitions = 0;
  // A state that failed and was caught still "exits"; that exit is not a result worth reporting.
  const failedStates = new Set<string>();
  const elapsed = () => ((sandbox?.clock.now() ?? Date.now()) - startMs) / 1000;
  const consume = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        transitions++;
        const stateDef = definition.States[event.state.name] ?? { Type: event.state.type };
        const stateType = String(stateDef.Type ?? event.state.type);
        const seconds = stateType === 'Wait' ? waitSeconds(stateDef, event.state.input) : undefined;
        options.onEvent?.(
          {
            type: 'entered',
            state: event.state.name,
            stateType,
            input: event.state.input,
            waitSeconds: seconds,
          },
          elapsed(),
        );
      } else if (event.type === 'StateExited') {
        if (failedStates.delete(event.state.name)) continue;
        const stateType = String(definition.States[event.state.name]?.Type ?? event.state.type);
        options.onEvent?.(
          { type: 'exited', state: event.state.name, stateType, output: event.state.output },
          elapsed(),
        );
      } else if (event.type === 'StateRetried') {
        failedStates.delete(event.state.name);
        const pauseSeconds = retryPauseSeconds(event.retry.retrier, event.retry.attempt);
        // taken by the retried task itself, before it runs again (pauseBeforeTask)
        if (scheduler) pauses.pending = pauseSeconds;
        options.onEvent?.(
          { type: 'retried', state: event.state.name, attempt: event.retry.attempt, pauseSeconds },
          elapsed(),
        );
      } else if (event.type === 'StateFailed') {
        failedStates.add(event.state.name);
        options.onEvent?.(
          {
            type: 'failed',
            state: event.state.name,
            stateType: event.state.type,
            error: event.Error,
            cause: String(event.Cause ?? ''),
          },
          elapsed(),
        );
      }
    }
  })();

  const stats = (): RunStats => ({
    simulatedSeconds: Math.round(elapsed() * 10) / 10,
    stateTransitions: transitions,
    awsCalls: diffCounts(sandbox?.callCounts() ?? {}, callsBefore),
  });
  let outcome: RunOutcome;
  try {
    const output = await execution.result;
    await consume;
    return { status: 'SUCCEEDED', output, stats: stats() };
  } catch (error) {
    await consume;
    const failure = (error as { cause?: { name?: string; message?: string } }).cause;
    // the library's own wall-clock timeout, or ours on the run's clock
    if (timedOut || (error as Error).name === 'ExecutionTimeoutError') timedOut = true;
    outcome = timedOut
      ? {
          status: 'FAILED',
          error: 'States.Timeout',
          cause: `the execution timed out: its TimeoutSeconds (${definition.TimeoutSeconds} s) passed before it ended`,
          stats: stats(),
        }
      : {
          status: 'FAILED',
          error: failure?.name ?? (error as Error).name,
          cause: failure?.message ?? (error as Error).message,
          stats: stats(),
        };
  }
  await publishTerminalFailure(definition, options, {
    workflow: options.workflow,
    name: options.executionName,
    status: timedOut ? 'TIMED_OUT' : 'FAILED',
    input: options.input,
    error: outcome.error,
    cause: outcome.cause,
  });
  return outcome;
}

/**
 * What the rule on Step Functions' status changes does in AWS (functions/publish-terminal-failure.ts):
 * an end the workflow did not report itself (a timeout, a failure no Catch handles, a failed teardown)
 * gets its Private Endpoint Failed, through the run's own events:putEvents binding (the local event log).
 */
async function publishTerminalFailure(
  definition: AslDefinition,
  options: RunOptions,
  execution: TerminalExecution,
): Promise<void> {
  const result = terminalFailureResult(execution);
  if (!result) return;
  const name = Object.keys(definition.States).find(
    (n) => definition.States[n]?.Resource === PUT_EVENTS_RESOURCE && options.localTasks?.[n],
  );
  const put = name ? options.localTasks?.[name] : undefined;
  if (!put) return;
  // Publishing never changes the outcome (as PublishFailed's Catch in the workflow).
  await put({
    Entries: [
      {
        Source: 'privatelink',
        DetailType: 'Private Endpoint Failed',
        Detail: result,
        EventBusName: eventBusOfExecution(execution) ?? 'default',
      },
    ],
  }).catch(() => undefined);
}
