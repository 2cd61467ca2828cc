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

/**
 * Other state directories under `stateDir` (the demo's `.privatelink/demo`, `--aws`'s `aws/`) that know
 * `requestId`: a request "not found" is often one made with another --sandbox-state.
 */
export async function elsewhere(stateDir: string, requestId: string): Promise<string[]> {
  const { readdir, access } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = await readdir(stateDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory() && e.name !== 'executions')) {
    const dir = join(stateDir, entry.name);
    for (const workflow of ['provision', 'teardown']) {
      const known = await access(join(dir, 'executions', `${workflow}-${requestId}.json`)).then(
        () => true,
        () => false,
      );
      if (known) {
        found.push(dir);
        break;
      }
    }
  }
  return found;
}
