// Lambda (publishTerminalFailure): target of the rule on Step Functions' execution status changes
// (FAILED, TIMED_OUT, ABORTED of both workflows). Publishes `Private Endpoint Failed` for the ends the
// workflow could not report itself (a timeout, a stop, States.Runtime, the history limit, a failed
// teardown), and nothing when its own PublishFailed already did. A failed put fails the invocation:
// Lambda retries it, then keeps it in the dead-letter queue (serverless.yml).
import { answerStatusChange, type ExecutionStatusChange } from '../src/core/app/terminal-failure.ts';
import { requiredEnv } from '../src/core/aws/control-clients.ts';
import { eventBridgeClient, FAILED_DETAIL_TYPE, permittedBus, putResultEvent } from '../src/core/aws/events.ts';
import type { ProvisionResult } from '../src/core/domain/result.ts';
import { logger, traced, withObservability } from '../src/core/observability.ts';

function workflowOf(stateMachineArn: string): 'provision' | 'teardown' | undefined {
  if (stateMachineArn === requiredEnv('PROVISION_STATE_MACHINE_ARN')) return 'provision';
  if (stateMachineArn === requiredEnv('TEARDOWN_STATE_MACHINE_ARN')) return 'teardown';
  return undefined;
}

async function publish(result: ProvisionResult, requested: string | undefined, resources: string[]) {
  const bus = permittedBus(requested, process.env.PRIVATELINK_EVENT_BUS_NAME);
  if (!bus) return undefined;
  await putResultEvent(traced(eventBridgeClient()), {
    detailType: FAILED_DETAIL_TYPE,
    detail: result,
    eventBusName: bus,
    resources,
  });
  return bus;
}

export const handler = withObservability(
  (event: unknown) =>
    answerStatusChange(((event as { detail?: ExecutionStatusChange } | null)?.detail ?? {}) as ExecutionStatusChange, {
      workflowOf,
      publish,
      log: (level, message, fields) => logger[level](message, fields),
    }),
  { name: 'publishTerminalFailure' },
);
