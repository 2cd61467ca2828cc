// `privatelink verify --request-id ID [--repair]`: the recorded result against the account as it is now;
// every drift listed, exit 1 while any is left. Read-only without --repair; with it, what the request
// owns is put back (on the sandbox through a writable opening of the same state, under its lock).
import { type Environment, openEnvironment } from '../../core/app/environment.ts';
import { type VerifyReport, verifyRequest } from '../../core/app/verify.ts';
import type { CliArgs } from '../args.ts';
import { EXIT, type Io } from './io.ts';
import { table } from './plan-table.ts';

export function renderVerify(report: VerifyReport): string[] {
  const lines: string[] = [];
  const drift = report.drift;
  const head = `verify ${report.requestId} (${report.status}): ${report.checked.length} checked`;
  if (report.repaired !== undefined) {
    lines.push(`${head}, ${report.found?.length ?? 0} drift found, ${report.repaired.length} repaired`);
    for (const done of report.repaired) lines.push(`  repaired  ${done}`);
    for (const failed of report.failed ?? []) lines.push(`  FAILED    ${failed.repair}: ${failed.error}`);
  } else lines.push(`${head}, ${drift.length === 0 ? 'no drift' : `${drift.length} drift`}`);
  if (report.note) lines.push(`  (${report.note})`);
  if (drift.length === 0) {
    if (report.repaired !== undefined) lines.push('no drift left');
    return lines;
  }
  const rows = drift.map((d) => [d.resource, d.id, d.expected, d.actual, d.repairable ? 'yes' : 'no']);
  const rendered = table(['RESOURCE', 'ID', 'EXPECTED', 'ACTUAL', 'REPAIRABLE'], rows);
  lines.push(rendered[0] ?? '');
  drift.forEach((d, i) => {
    lines.push(rendered[i + 1] ?? '', `    fix: ${d.fix}`);
  });
  if (report.repaired === undefined && drift.some((d) => d.repairable))
    lines.push(`privatelink verify --request-id ${report.requestId} --repair puts back what is repairable`);
  return lines;
}

async function writable(args: CliArgs, env: Environment): Promise<Environment> {
  // The command was opened read-only (verify changes nothing without --repair): open the same state
  // again for writing, so every repair is made under the sandbox's lock against its latest state.
  await env.close();
  return openEnvironment({
    stateDir: env.stateDir,
    ...(args.seedFile !== undefined && { seedFile: args.seedFile }),
    faults: args.faults,
  });
}

export async function verify(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const requestId = args.requestId ?? '';
  // First through the read-only opening: an unknown id, or nothing to repair, changes nothing.
  let report = await verifyRequest(env, requestId);
  if (args.repair) {
    if (!report.drift.some((d) => d.repairable)) report = { ...report, repaired: [], found: report.drift };
    else if (env.kind === 'sandbox') {
      const target = await writable(args, env);
      try {
        report = await verifyRequest(target, requestId, { repair: true });
      } finally {
        await target.close();
      }
    } else report = await verifyRequest(env, requestId, { repair: true });
  }
  io.out(args.json ? JSON.stringify(report, null, 2) : renderVerify(report).join('\n'));
  return report.clean ? EXIT.ok : EXIT.failed;
}
