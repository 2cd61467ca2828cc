// Lambda (startFromEvent): the Cluster Created rule's target. Starts the provisioning named after the
// request id (as the HTTP API and Slack do), so a repeated delivery is a logged repeat, not a second
// execution; an event that is invalid or outside the allowlists starts nothing and is answered with
// `Private Endpoint Failed`. Step Functions' throttling and other errors fail the invocation: Lambda
// retries it, then sends it to the dead-letter queue (serverless.yml).
import { refuseNamesHeld } from '../src/core/app/names-held.ts';
import { type ClusterCreatedEvent, type ProvisionInput, startFromEvent } from '../src/core/app/start-from-event.ts';
import { requiredEnv, sfnClient } from '../src/core/aws/control-clients.ts';
import { eventBridgeClient, FAILED_DETAIL_TYPE, permittedBus, putResultEvent } from '../src/core/aws/events.ts';
import { startProvisionExecution } from '../src/core/aws/sfn.ts';
import type { ProvisionRequest } from '../src/core/domain/request.ts';
import type { ProvisionResult } from '../src/core/domain/result.ts';
import { logger, traced, withObservability } from '../src/core/observability.ts';

async function start(request: ProvisionRequest, input: ProvisionInput) {
  const machine = requiredEnv('PROVISION_STATE_MACHINE_ARN');
  return startProvisionExecution(traced(sfnClient()), machine, request, { ...input }, refuseNamesHeld);
}

async function publishFailed(result: ProvisionResult, requested: string | undefined): Promise<boolean> {
  const bus = permittedBus(requested, process.env.PRIVATELINK_EVENT_BUS_NAME);
  if (!bus) return false;
  await putResultEvent(traced(eventBridgeClient()), {
    detailType: FAILED_DETAIL_TYPE,
    detail: result,
    eventBusName: bus,
  });
  return true;
}

export const handler = withObservability(
  (event: unknown) =>
    startFromEvent((event ?? {}) as ClusterCreatedEvent, {
      start,
      publishFailed,
      log: (level, message, fields) => logger[level](message, fields),
    }),
  { name: 'startFromEvent' },
);
