// The commands of issue 2: provision, status, sandbox inventory.
import { readFile } from 'node:fs/promises';
import type { Environment } from '../../core/app/environment.ts';
import { startProvision } from '../../core/app/provision.ts';
import { currentResult } from '../../core/app/teardown.ts';
import { parseProvisionRequest } from '../../core/domain/request.ts';
import type { ProvisionResult } from '../../core/domain/result.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { progressLine } from '../progress.ts';
import { renderResult } from '../render.ts';
import { EXIT, type Io } from './io.ts';

export function print(io: Io, args: CliArgs, result: ProvisionResult): number {
  io.out(args.json ? JSON.stringify(result, null, 2) : renderResult(result));
  return result.status === 'FAILED' ? EXIT.failed : EXIT.ok;
}

export async function provision(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!args.request) throw new UsageError('provision needs --request FILE');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(args.request, 'utf8'));
  } catch (error) {
    io.err(`privatelink: cannot read ${args.request}: ${(error as Error).message}`);
    return EXIT.invalid;
  }
  const parsed = parseProvisionRequest(raw);
  if (!parsed.ok) {
    io.err(`privatelink: the request is invalid; nothing was created:`);
    // Bounded: a request with thousands of bad fields must not flood the terminal.
    for (const issue of parsed.issues.slice(0, 20)) io.err(`  ${issue.path || '(request)'}: ${issue.message}`);
    if (parsed.issues.length > 20) io.err(`  … and ${parsed.issues.length - 20} more`);
    if (args.json) io.out(JSON.stringify({ error: { code: 'InvalidRequest', issues: parsed.issues } }, null, 2));
    return EXIT.invalid;
  }
  const { request } = parsed;
  io.err(`privatelink: provisioning ${request.requestId} in ${request.region} on ${describe(env)}`);
  const start = await startProvision(env, request, (event, elapsed) => {
    const line = progressLine(event, elapsed);
    if (line) io.err(line);
  });
  if (start.kind === 'existing') io.err(`privatelink: ${request.requestId} exists already (${start.result.status})`);
  const result = start.kind === 'existing' ? start.result : await start.execution;
  return print(io, args, result);
}

function describe(env: Environment): string {
  return env.sandbox ? `the sandbox (account ${env.sandbox.accountId}, state in ${env.stateDir})` : 'AWS';
}

export async function status(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!args.requestId) throw new UsageError('status needs --request-id ID');
  const result = await currentResult(env, args.requestId);
  if (!result) {
    io.err(`privatelink: no request ${args.requestId} in ${env.stateDir}`);
    return EXIT.invalid;
  }
  return print(io, args, result);
}

export function inventory(args: CliArgs, env: Environment, io: Io): number {
  if (!env.sandbox) throw new UsageError('sandbox inventory needs the sandbox (not --aws)');
  const inv = env.sandbox.inventory();
  if (args.json) io.out(JSON.stringify(inv, null, 2));
  else {
    for (const s of inv.endpointServices) io.out(`service   ${s.serviceId} ${s.state} ${s.serviceName}`);
    for (const e of inv.endpoints) io.out(`endpoint  ${e.endpointId} ${e.state}`);
    for (const z of inv.hostedZones) {
      io.out(`zone      ${z.name} (${z.hostedZoneId})`);
      for (const r of z.records) io.out(`            ${r.type.padEnd(5)} ${r.name} ${r.values.join(' | ')}`);
    }
    if (inv.endpoints.length + inv.endpointServices.length + inv.hostedZones.length === 0) io.out('(empty)');
  }
  return EXIT.ok;
}
