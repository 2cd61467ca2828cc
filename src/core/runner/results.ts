// The contract's result, read off an execution record (as `status` and GET /endpoints/{id} show it).
import type { Action, ProvisionResult, ResultStatus, VendorView } from '../domain/result.ts';
import { describeCaughtError } from '../errors.ts';
import { resultOfUndoFailure } from '../steps/compensate.ts';
import type { ExecutionRecord } from './execution-store.ts';
import type { RunEvent } from './local-runner.ts';

/** What a running execution last said about whom it waits on (kept on its record). */
export interface RunProgress {
  status: Extract<ResultStatus, 'PROVISIONING' | 'WAITING_FOR_CONSUMER' | 'WAITING_FOR_VENDOR'>;
  actions: Action[];
  vendor?: VendorView;
}

type StepOutput = {
  endpoint?: { action?: Action; vendorStatus?: string };
  service?: { consumerAction?: Action; vendor?: { name?: string; endpointServiceId?: string; status?: string } };
};

function vendorViewOf(output: StepOutput): VendorView | undefined {
  const vendor = output.service?.vendor;
  if (vendor?.name !== 'atlas' || !vendor.endpointServiceId) return undefined;
  return {
    name: 'atlas',
    endpointServiceId: vendor.endpointServiceId,
    status: vendor.status ?? 'UNKNOWN',
    ...(output.endpoint?.vendorStatus && { connectionStatus: output.endpoint.vendorStatus }),
  };
}

/**
 * The progress a state's exit reports: a check that found the endpoint waiting on its vendor, the
 * hand-off's wait for the other party (its action is in `$.service.consumerAction`), or a step past the wait (nobody to wait on).
 */
export function progressOf(event: RunEvent): RunProgress | undefined {
  if (event.type !== 'exited' && event.type !== 'entered') return undefined;
  const output = (event.type === 'exited' ? event.output : event.input) as StepOutput | undefined;
  if (!output || typeof output !== 'object') return undefined;
  const vendor = vendorViewOf(output);
  const withVendor = (p: RunProgress): RunProgress => (vendor ? { ...p, vendor } : p);
  if (event.type === 'entered')
    return event.state === 'WaitForConsumer' && output.service?.consumerAction
      ? withVendor({ status: 'WAITING_FOR_CONSUMER', actions: [output.service.consumerAction] })
      : undefined;
  if (output.endpoint?.action) return withVendor({ status: 'WAITING_FOR_VENDOR', actions: [output.endpoint.action] });
  if (event.stateType === 'Task') return withVendor({ status: 'PROVISIONING', actions: [] });
  return undefined;
}

function parseFailure(record: ExecutionRecord): ProvisionResult {
  if (record.error === 'CompensationFailed') {
    const result = resultOfUndoFailure(record.cause ?? '');
    if (result) return result;
  }
  try {
    const parsed = JSON.parse(record.cause ?? '') as ProvisionResult;
    if (parsed && parsed.status === 'FAILED' && parsed.error) return parsed;
  } catch {
    // a Cause that is not our result JSON (e.g. CompensationFailed): report it as it is
  }
  const { code, message } = describeCaughtError({ Error: record.error, Cause: record.cause });
  return {
    requestId: record.requestId,
    status: 'FAILED',
    error: { code, step: record.currentStep ?? 'Unknown', message },
  };
}

function runningStatus(record: ExecutionRecord): ResultStatus {
  if (record.workflow === 'teardown') return 'DELETING';
  if (record.currentStep === 'WaitForConsumer') return 'WAITING_FOR_CONSUMER';
  return record.progress?.status ?? 'PROVISIONING';
}

export function resultOf(record: ExecutionRecord): ProvisionResult {
  const withStats = (result: ProvisionResult): ProvisionResult =>
    record.stats ? { ...result, stats: record.stats } : result;
  if (record.status === 'RUNNING') {
    const progress = record.workflow === 'provision' ? record.progress : undefined;
    return {
      requestId: record.requestId,
      status: runningStatus(record),
      ...(record.currentStep && { currentStep: record.currentStep }),
      ...(record.interrupted && { interrupted: true }),
      ...(progress?.actions.length && { actions: progress.actions }),
      ...(progress?.vendor && { vendor: progress.vendor }),
    };
  }
  if (record.status === 'FAILED') return withStats(parseFailure(record));
  return withStats(record.output as ProvisionResult);
}
