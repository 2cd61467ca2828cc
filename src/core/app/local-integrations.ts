// The workflow states that reach outside AWS's step Lambdas, bound locally by state name: every
// `events:putEvents` state records into the event log, every `notifySlack` task posts into the Slack
// outbox. Nothing leaves the machine; the definition decides which states those are. Slack's side
// comes in through the LocalSlack port, wired by the entry point that opens the environment.
import { loadDefinition, taskFunctions, type WorkflowName } from '../runner/definitions.ts';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  localExecutionArn,
  localStateMachineArn,
  PUT_EVENTS_RESOURCE,
  type RunOptions,
} from '../runner/local-runner.ts';
import type { Environment } from './environment.ts';
import { eventLog, type PutEventsEntry } from './event-log.ts';

/** Builds the NotifySlack task of a state directory: it takes the state's input and posts locally. */
export type LocalSlack = (stateDir: string, now: () => number) => (input: unknown) => Promise<unknown>;

/** The `localTasks` of one execution of `workflow`. */
export function localIntegrations(
  env: Pick<Environment, 'stateDir' | 'sandbox' | 'slack'>,
  workflow: WorkflowName,
  executionName: string,
): NonNullable<RunOptions['localTasks']> {
  const definition = loadDefinition(workflow);
  const now = () => env.sandbox?.clock.now() ?? Date.now();
  const events = eventLog(env.stateDir);
  // Never left unbound: the runner would run the Lambda handler, which posts to Slack itself.
  const notifySlack =
    env.slack?.(env.stateDir, now) ??
    (async () => {
      throw new Error('NotifySlack: no local Slack is wired into this environment (EnvironmentOptions.slack)');
    });
  const tasks: NonNullable<RunOptions['localTasks']> = {};
  for (const [name, state] of Object.entries(definition.States))
    if (state.Type === 'Task' && state.Resource === PUT_EVENTS_RESOURCE)
      tasks[name] = (input) =>
        events.put(((input as { Entries?: PutEventsEntry[] } | undefined)?.Entries ?? []) as PutEventsEntry[], {
          account: env.sandbox?.accountId ?? LOCAL_ACCOUNT,
          region: LOCAL_REGION,
          now: now(),
          resources: [localStateMachineArn(workflow), localExecutionArn(workflow, executionName)],
        });
  for (const [name, fn] of Object.entries(taskFunctions(definition)))
    if (fn === 'notifySlack') tasks[name] = notifySlack;
  return tasks;
}
