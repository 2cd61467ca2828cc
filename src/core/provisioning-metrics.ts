// The provisioning outcomes as CloudWatch metrics (EMF through Powertools): READY from Finalize, FAILED
// from Compensate once nothing is left to undo, each with how long the workflow took.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENDPOINT_DEADLINE_SECONDS } from './domain/polling.ts';
import type { ProvisionResult } from './domain/result.ts';
import type { UndoState, WorkflowState } from './steps/state.ts';

/** Seconds since CreateInterfaceEndpoint ran (its deadline is set from that moment), if it did. */
export function secondsSinceEndpointStep(state: Partial<WorkflowState>, nowMs: number): number | undefined {
  const deadlineAt = state.endpoint?.deadlineAt;
  if (typeof deadlineAt !== 'number') return undefined;
  return Math.max(0, (nowMs - (deadlineAt - ENDPOINT_DEADLINE_SECONDS * 1000)) / 1000);
}

export function recordReady(state: unknown, result: ProvisionResult, metrics: Metrics, nowMs = Date.now()): void {
  if (result.status !== 'READY') return;
  metrics.addMetric('ProvisioningReady', MetricUnit.Count, 1);
  const seconds = secondsSinceEndpointStep(state as Partial<WorkflowState>, nowMs);
  if (seconds !== undefined) metrics.addMetric('ProvisioningDuration', MetricUnit.Seconds, seconds);
}

export function recordFailed(state: unknown, undo: UndoState, metrics: Metrics, nowMs = Date.now()): void {
  // Compensate is re-entered while resources are still going away: count the failure once, when it is done.
  if (!undo.done) return;
  metrics.addDimension('failedStep', undo.error.step);
  metrics.addMetric('ProvisioningFailed', MetricUnit.Count, 1);
  const seconds = secondsSinceEndpointStep(state as Partial<WorkflowState>, nowMs);
  if (seconds !== undefined) metrics.addMetric('ProvisioningDuration', MetricUnit.Seconds, seconds);
}
