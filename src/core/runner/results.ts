// The contract's result, read off an execution record (as `status` and GET /endpoints/{id} show it).
import type { ProvisionResult } from '../domain/result.ts';
import { describeCaughtError } from '../errors.ts';
import { resultOfUndoFailure } from '../steps/compensate.ts';
import type { ExecutionRecord } from './execution-store.ts';

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

export function resultOf(record: ExecutionRecord): ProvisionResult {
  const withStats = (result: ProvisionResult): ProvisionResult =>
    record.stats ? { ...result, stats: record.stats } : result;
  if (record.status === 'RUNNING')
    return {
      requestId: record.requestId,
      status:
        record.workflow === 'teardown'
          ? 'DELETING'
          : record.currentStep === 'WaitForConsumer'
            ? 'WAITING_FOR_CONSUMER'
            : 'PROVISIONING',
      ...(record.currentStep && { currentStep: record.currentStep }),
    };
  if (record.status === 'FAILED') return withStats(parseFailure(record));
  return withStats(record.output as ProvisionResult);
}
