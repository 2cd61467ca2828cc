// Lambda (httpApi): the HTTP API's routes over Step Functions. API Gateway HTTP API (payload v2, IAM
// authorization) → the same handlers `privatelink serve` runs locally. In Lambda the event goes through the
// shared middy stack (Powertools logger keyed by API Gateway's request id, tracer) and Powertools parser.

import type { HttpEvent, HttpResponse } from '../src/core/app/http-event.ts';
import { refuseNamesHeld } from '../src/core/app/names-held.ts';
import { verifyConsumerEndpoint } from '../src/core/app/verify-consumer-endpoint.ts';
import type { WorkflowPort } from '../src/core/app/workflow-port.ts';
import { atlasStepPorts } from '../src/core/aws/atlas-step-ports.ts';
import { requiredEnv, sfnClient, ssmClient } from '../src/core/aws/control-clients.ts';
import { type ProvisionRequest, REQUEST_ID_TAG } from '../src/core/domain/request.ts';
import { logger, traced, withObservability } from '../src/core/observability.ts';
import { httpEventParser, type LogHttpError } from '../src/http/lambda-event.ts';
import { handleHttp } from '../src/http/routes.ts';
import { buildSfnWorkflows } from '../src/http/sfn-workflows.ts';
import { buildSsmTaskTokenStore, DEFAULT_TOKEN_PREFIX, type WaitingService } from '../src/http/task-tokens.ts';

let workflows: WorkflowPort | undefined;

export function awsWorkflows(): WorkflowPort {
  workflows ??= buildSfnWorkflows(
    traced(sfnClient()),
    buildSsmTaskTokenStore(traced(ssmClient()), process.env.TASK_TOKEN_PARAMETER_PREFIX ?? DEFAULT_TOKEN_PREFIX),
    {
      provisionStateMachineArn: requiredEnv('PROVISION_STATE_MACHINE_ARN'),
      teardownStateMachineArn: requiredEnv('TEARDOWN_STATE_MACHINE_ARN'),
      verifyReport: verifyConsumerReport,
      beforeFirstStart: refuseNamesHeld,
    },
  );
  return workflows;
}

/**
 * finalize's check in AWS, as `serve` does it: the reported endpoint against the service the workflow
 * waits on (stored with the task token; for a token stored without it, our own service found by the
 * request's tag), through this function's EC2 and Atlas adapters.
 */
export async function verifyConsumerReport(
  request: ProvisionRequest,
  waitingFor: WaitingService,
  endpointId: string,
): Promise<void> {
  const ports = atlasStepPorts(request.region);
  let service = waitingFor;
  if (!service.serviceId && !('atlas' in request.service)) {
    const [own] = await ports.ec2.findEndpointServicesByTag(REQUEST_ID_TAG, request.requestId);
    if (own) service = { serviceId: own.serviceId, serviceName: own.serviceName };
  }
  await verifyConsumerEndpoint(request, service, endpointId, ports);
}

/** A 500's details: the log only (the body carries the correlation id and nothing else). */
export const logHttpError: LogHttpError = (correlationId, error) =>
  logger.error('internal error', { correlationId, error: error instanceof Error ? error : String(error) });

export const handler = withObservability(
  async (event: HttpEvent): Promise<HttpResponse> =>
    handleHttp(event, {
      // Missing configuration surfaces as a 500 with a correlation id; the details go to the log only.
      workflows: lazy(awsWorkflows),
      logError: logHttpError,
      statusPage: { pollMs: statusPagePollMs() },
    }),
  { name: 'httpApi', middlewares: [httpEventParser(logHttpError)] },
);

/**
 * How often the status page (GET /) polls GET /endpoints in AWS: every poll reads up to 100 executions
 * (two or three Step Functions calls each), so 5 s by default rather than serve's 1 s.
 */
export function statusPagePollMs(): number {
  const ms = Number(process.env.STATUS_PAGE_POLL_MS ?? AWS_STATUS_PAGE_POLL_MS);
  return Number.isFinite(ms) && ms >= 1000 ? ms : AWS_STATUS_PAGE_POLL_MS;
}
const AWS_STATUS_PAGE_POLL_MS = 5000;

/** Builds the port on first use, so a configuration error is a logged 500 rather than a crashed init. */
export function lazy(build: () => WorkflowPort): WorkflowPort {
  return {
    startProvision: (r) => build().startProvision(r),
    getResult: (id) => build().getResult(id),
    listResults: (p) => build().listResults(p),
    startTeardown: (id) => build().startTeardown(id),
    finalize: (id, e) => build().finalize(id, e),
  };
}
