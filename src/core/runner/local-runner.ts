// Runs a statemachines/ definition in-process with aws-local-stepfunctions. Tasks call the Lambda
// handler modules directly; on the sandbox, Wait states and Retry pauses advance the simulated clock
// instead of sleeping, so a provisioning that takes minutes in AWS takes about a second here.
import './polyfill.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type AslDefinition,
  loadDefinition,
  resolveDefinition,
  taskFunctions,
  type WorkflowName,
} from './definitions.ts';
import { FUNCTIONS, type Handler } from './functions.ts';

/** What the runner needs from the sandbox: its clock and its call counts. */
export interface SimulatedAccount {
  clock: { now(): number };
  advance(seconds: number): void;
  callCounts(): Record<string, number>;
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

async function bindTasks(definition: AslDefinition, afterTask?: () => Promise<void>) {
  const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  for (const [stateName, fn] of Object.entries(taskFunctions(definition))) {
    const load = FUNCTIONS[fn];
    if (!load) throw new Error(`state ${stateName} calls ${fn}, which has no handler module`);
    const handler: Handler = (await load()).handler;
    handlers[stateName] = async (input) => {
      await settle();
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

export async function runWorkflow(options: RunOptions): Promise<RunOutcome> {
  const definition = loadDefinition(options.workflow);
  const resolved = resolveDefinition(definition);
  const { sandbox } = options;
  const startMs = sandbox?.clock.now() ?? Date.now();
  const callsBefore = sandbox?.callCounts() ?? {};
  const zero = (names: string[]) => Object.fromEntries(names.map((n) => [n, 0]));
  const waitStates = Object.keys(definition.States).filter((n) => definition.States[n]?.Type === 'Wait');
  const retryStates = Object.keys(definition.States).filter((n) => Array.isArray(definition.States[n]?.Retry));

  const handlers = await bindTasks(definition, options.afterTask);
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const integration = typeof state.Resource === 'string';
    if (!integration && !options.localTasks?.[name]) continue;
    const local =
      integration && String(state.Resource).endsWith('.waitForTaskToken')
        ? options.waitForTaskToken &&
          ((input: unknown) =>
            options.waitForTaskToken?.(name, input, {
              ...(typeof state.TimeoutSeconds === 'number' && { timeoutSeconds: state.TimeoutSeconds }),
            }))
        : options.localTasks?.[name];
    handlers[name] = async (input) => {
      if (!local) throw new Error(`state ${name} (${String(state.Resource)}) has no local handler`);
      await settle();
      return jsonCopy(await local(jsonCopy(input))) as JsonValue;
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

  let transitions = 0;
  // A state that failed and was caught still "exits"; that exit is not a result worth reporting.
  const failedStates = new Set<string>();
  const elapsed = () => ((sandbox?.clock.now() ?? Date.now()) - startMs) / 1000;
  const consume = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        transitions++;
        const stateDef = definition.States[event.state.name] ?? { Type: event.state.type };
        const seconds = event.state.type === 'Wait' ? waitSeconds(stateDef, event.state.input) : undefined;
        options.onEvent?.(
          {
            type: 'entered',
            state: event.state.name,
            stateType: event.state.type,
            input: event.state.input,
            waitSeconds: seconds,
          },
          elapsed(),
        );
        if (sandbox && seconds) sandbox.advance(seconds);
      } else if (event.type === 'StateExited') {
        if (failedStates.delete(event.state.name)) continue;
        options.onEvent?.(
          { type: 'exited', state: event.state.name, stateType: event.state.type, output: event.state.output },
          elapsed(),
        );
      } else if (event.type === 'StateRetried') {
        failedStates.delete(event.state.name);
        const pauseSeconds = retryPauseSeconds(event.retry.retrier, event.retry.attempt);
        if (sandbox) sandbox.advance(pauseSeconds);
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
  try {
    const output = await execution.result;
    await consume;
    return { status: 'SUCCEEDED', output, stats: stats() };
  } catch (error) {
    await consume;
    const failure = (error as { cause?: { name?: string; message?: string } }).cause;
    return {
      status: 'FAILED',
      error: failure?.name ?? (error as Error).name,
      cause: failure?.message ?? (error as Error).message,
      stats: stats(),
    };
  }
}
