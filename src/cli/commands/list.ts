// `privatelink list`: every request this state directory knows, newest first, one line each (id,
// status, step, endpoint) and, below one that waits, who must act. Read-only.
import type { Environment } from '../../core/app/environment.ts';
import type { ProvisionResult } from '../../core/domain/result.ts';
import type { ExecutionRecord } from '../../core/runner/execution-store.ts';
import { resultOf } from '../../core/runner/results.ts';
import type { CliArgs } from '../args.ts';
import { renderAction } from '../render.ts';
import { EXIT, type Io } from './io.ts';
import { newerOf } from './records.ts';

export interface Listed {
  record: ExecutionRecord;
  result: ProvisionResult;
}

/** Each request's latest execution (provisioning or teardown) and its result, newest first. */
export async function listRequests(env: Environment): Promise<Listed[]> {
  const [provisions, teardowns] = await Promise.all([env.store.list('provision'), env.store.list('teardown')]);
  const teardownOf = new Map(teardowns.map((t) => [t.requestId, t]));
  const ids = new Set([...provisions.map((p) => p.requestId), ...teardowns.map((t) => t.requestId)]);
  const provisionOf = new Map(provisions.map((p) => [p.requestId, p]));
  const listed: Listed[] = [];
  for (const id of ids) {
    const record = newerOf(provisionOf.get(id), teardownOf.get(id));
    if (record) listed.push({ record, result: resultOf(record) });
  }
  // Newest first; the id breaks ties so the order is the same every time.
  return listed.sort(
    (a, b) =>
      b.record.startedAt.localeCompare(a.record.startedAt) || a.record.requestId.localeCompare(b.record.requestId),
  );
}

/** The step a result is at: where it runs, or where it failed; '-' once it is done. */
function stepOf(result: ProvisionResult): string {
  const step = result.currentStep ?? result.error?.step ?? '-';
  // Its process is gone: provisioning the same request again carries on.
  return result.interrupted ? `${step}(interrupted)` : step;
}

export async function list(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const listed = await listRequests(env);
  if (args.json) {
    io.out(
      JSON.stringify(
        listed.map((l) => l.result),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  if (listed.length === 0) {
    io.out(`(no requests in ${env.stateDir})`);
    return EXIT.ok;
  }
  const rows = listed.map(({ record, result }) => [
    result.requestId,
    result.status,
    stepOf(result),
    result.endpoint?.endpointId ?? result.actions?.find((a) => a.endpointId)?.endpointId ?? '-',
    record.startedAt.replace(/\.\d+Z$/, 'Z'),
  ]);
  const header = ['REQUEST', 'STATUS', 'STEP', 'ENDPOINT', 'STARTED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  io.out(line(header));
  listed.forEach(({ result }, i) => {
    io.out(line(rows[i] ?? []));
    for (const action of result.actions ?? []) io.out(renderAction(action, '    ').join('\n'));
  });
  return EXIT.ok;
}
