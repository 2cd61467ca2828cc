// Powertools logger, tracer and metrics, wired once as a middy stack around every Lambda handler.
// In Lambda (a context is passed) the stack runs: structured JSON logs keyed by the request id and the
// execution id (the HTTP and Slack Lambdas: API Gateway's request id as correlation_id), SDK clients
// traced, metrics flushed, and any middlewares the function adds (the HTTP Lambdas' event parser). Called
// with the event alone (the local runner, the CLI, tests) the handler runs bare: no context to inject,
// nothing written to stderr.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { onClientCreated } from './aws/clients.ts';

export const SERVICE_NAME = 'privatelink-automation';
export const METRICS_NAMESPACE = 'PrivateLinkAutomation';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

// Every SDK client the steps use is created through src/core/aws/clients.ts: trace each one, once.
// (Tracing is off outside Lambda, so the sandbox's clients stay untouched.)
if (tracer.isTracingEnabled()) onClientCreated((client) => tracer.captureAWSv3Client(client));

/** Records metrics from a handler's input and output (finalize: READY; compensate: FAILED). */
export type MetricsRecorder<E, R> = (event: E, result: R, metrics: Metrics) => void;

export interface ObservabilityOptions<E, R> {
  /** the function's logical name in serverless.yml */
  name: string;
  recordMetrics?: MetricsRecorder<E, R>;
  /**
   * Middlewares that run inside the logger and the tracer, in order, only in Lambda: e.g. the event
   * parser, whose failure is then logged with the request's keys.
   */
  middlewares?: MiddlewareObj<E, R>[];
}

/** The keys every log line carries: the provisioning request id and the Step Functions execution id. */
export function correlationKeys(event: unknown): { requestId?: string; executionId?: string } {
  if (!event || typeof event !== 'object') return {};
  const record = event as {
    request?: { requestId?: unknown };
    requestId?: unknown;
    executionId?: unknown;
    execution?: { id?: unknown };
  };
  const requestId = record.request?.requestId ?? record.requestId;
  // $.execution.id is recorded by the workflow's first state from $$.Execution.Id.
  const executionId = record.execution?.id ?? record.executionId;
  return {
    ...(typeof requestId === 'string' && { requestId }),
    ...(typeof executionId === 'string' && { executionId }),
  };
}

/** API Gateway's id of the HTTP request an event carries (HTTP API v2: requestContext.requestId). */
export function apiGatewayRequestId(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | null | undefined)?.requestContext?.requestId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function correlation(): MiddlewareObj {
  return {
    before: (request) => {
      logger.appendKeys(correlationKeys(request.event));
      const correlationId = apiGatewayRequestId(request.event);
      if (correlationId) logger.setCorrelationId(correlationId);
    },
  };
}

function recorder<E, R>(record: MetricsRecorder<E, R>, metrics: Metrics): MiddlewareObj<E, R> {
  return {
    after: (request) => {
      if (request.response !== null) record(request.event, request.response as R, metrics);
    },
  };
}

/**
 * `handler` as a Lambda handler with logging, tracing and metrics. Called with one argument (no Lambda
 * context), it is `handler` itself.
 */
export function withObservability<E, R>(
  handler: (event: E) => Promise<R>,
  options: ObservabilityOptions<E, R>,
): (event: E, context?: Context) => Promise<R> {
  const stack = middy<E, R>((event: E) => handler(event))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation());
  // Only functions that record something flush metrics: the others would log "no metrics" every time.
  // Middy runs `after` hooks in reverse: the recorder adds its metrics before logMetrics flushes them.
  if (options.recordMetrics) {
    // One instance per function: a shared one would collect every loaded function's dimension.
    const metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      defaultDimensions: { function: options.name },
    });
    stack.use(logMetrics(metrics)).use(recorder(options.recordMetrics, metrics));
  }
  for (const middleware of options.middlewares ?? []) stack.use(middleware);
  return (event, context) => (context ? stack(event, context) : handler(event));
}

const tracedClients = new WeakSet<object>();

/** `client` with its calls traced in Lambda (once, however often it is asked for); untouched elsewhere. */
export function traced<T extends object>(client: T): T {
  if (!tracer.isTracingEnabled() || tracedClients.has(client)) return client;
  tracedClients.add(client);
  return tracer.captureAWSv3Client(client);
}

export { MetricUnit };
