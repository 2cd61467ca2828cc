// A request's result as it stands, from its recorded executions: the newer of its provisioning and its
// teardown. The rule of src/core/app/teardown.ts (latestExecution, currentResult), kept here too
// because that module loads the workflow runner, which `status` and `list` must not wait for.
import type { Environment } from '../../core/app/environment.ts';
import type { ProvisionResult } from '../../core/domain/result.ts';
import type { ExecutionRecord } from '../../core/runner/execution-store.ts';
import { resultOf } from '../../core/runner/results.ts';

export function newerOf(
  provision: ExecutionRecord | undefined,
  teardown: ExecutionRecord | undefined,
): ExecutionRecord | undefined {
  if (!provision || !teardown) return provision ?? teardown;
  return teardown.startedAt >= provision.startedAt ? teardown : provision;
}

export async function resultNow(env: Environment, requestId: string): Promise<ProvisionResult | undefined> {
  const [provision, teardown] = await Promise.all([
    env.store.get('provision', requestId),
    env.store.get('teardown', requestId),
  ]);
  const record = newerOf(provision, teardown);
  return record && resultOf(record);
}
