// `privatelink plan --request FILE`: what provisioning would create, reuse or refuse, and why, from
// read-only calls only (like `terraform plan`). Exit 0 it would go through, 1 something is refused,
// 2 the request is invalid. Changes nothing, on the sandbox or with --aws.
import type { Environment } from '../../core/app/environment.ts';
import { planRequest } from '../../core/app/plan.ts';
import type { Plan } from '../../core/domain/plan.ts';
import type { CliArgs } from '../args.ts';
import { EXIT, type Io } from './io.ts';
import { table } from './plan-table.ts';
import { readRequestFile } from './request-file.ts';

export function renderPlan(plan: Plan, where: string): string[] {
  const count = (action: string) => plan.items.filter((i) => i.action === action).length;
  const verdict = plan.wouldSucceed
    ? 'provisioning would go through'
    : `provisioning would be refused (${count('refuse')} refusal${count('refuse') === 1 ? '' : 's'})`;
  const rows = plan.items.map((i) => [
    i.action,
    i.resource,
    i.name,
    i.id ?? '-',
    i.code ? `${i.code}: ${i.why.startsWith(`${i.code}: `) ? i.why.slice(i.code.length + 2) : i.why}` : i.why,
  ]);
  return [
    `plan ${plan.requestId} in ${plan.region} on ${where}: ${verdict}`,
    ...table(['ACTION', 'RESOURCE', 'NAME', 'ID', 'WHY'], rows),
    `${count('create')} to create, ${count('update')} to update, ${count('reuse')} to reuse, ${count('wait')} to wait for, ${count('refuse')} refused`,
  ];
}

export async function plan(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const request = await readRequestFile(args, io);
  if (typeof request === 'number') return request;
  const result = await planRequest(env, request);
  const where = env.sandbox ? `the sandbox (${env.stateDir})` : 'AWS';
  io.out(args.json ? JSON.stringify({ ...result, runsOn: env.kind }, null, 2) : renderPlan(result, where).join('\n'));
  return result.wouldSucceed ? EXIT.ok : EXIT.failed;
}
