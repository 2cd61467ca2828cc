// `privatelink provision --request FILE`: runs the provisioning workflow and prints its progress,
// then the result.
import { readFile } from 'node:fs/promises';
import type { Environment } from '../../core/app/environment.ts';
import { startProvision } from '../../core/app/provision.ts';
import { parseProvisionRequest } from '../../core/domain/request.ts';
import type { CliArgs } from '../args.ts';
import { progressPrinter } from '../progress.ts';
import { issueSentence } from '../render.ts';
import { EXIT, type Io } from './io.ts';
import { print } from './print.ts';

export async function provision(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const file = args.request ?? '';
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof SyntaxError
            ? `it is not JSON (${e.message})`
            : e.message;
    const message = `cannot read ${file}: ${why}`;
    io.err(`privatelink: ${message}`);
    if (args.json) io.out(JSON.stringify({ error: { code: 'CannotReadRequest', message } }, null, 2));
    return EXIT.invalid;
  }
  const parsed = parseProvisionRequest(raw);
  if (!parsed.ok) {
    io.err(`privatelink: the request in ${file} is invalid; nothing was created:`);
    // Bounded: a request with thousands of bad fields must not flood the terminal.
    for (const issue of parsed.issues.slice(0, 20)) io.err(`  ${issueSentence(issue)}`);
    if (parsed.issues.length > 20) io.err(`  … and ${parsed.issues.length - 20} more`);
    if (args.json)
      io.out(
        JSON.stringify(
          {
            error: {
              code: 'InvalidRequest',
              message: `the request is invalid; nothing was created: ${parsed.issues.slice(0, 20).map(issueSentence).join('; ')}`,
              issues: parsed.issues,
            },
          },
          null,
          2,
        ),
      );
    return EXIT.invalid;
  }
  const { request } = parsed;
  io.err(`privatelink: provisioning ${request.requestId} in ${request.region} on ${describe(env)}`);
  const printer = progressPrinter();
  const start = await startProvision(env, request, (event, elapsed) => {
    for (const line of printer(event, elapsed)) io.err(line);
  });
  if (start.kind === 'existing') {
    const running = ['PROVISIONING', 'WAITING_FOR_CONSUMER', 'WAITING_FOR_VENDOR'].includes(start.result.status);
    io.err(
      running
        ? `privatelink: ${request.requestId} is being provisioned by another run (${start.result.status}); its result as it stands:`
        : `privatelink: ${request.requestId} exists already (${start.result.status}); nothing was run again`,
    );
    if (args.faults.length > 0)
      io.err(`privatelink: so --fault ${args.faults.join(' --fault ')} was not used (nothing called AWS)`);
  }
  const result = start.kind === 'existing' ? start.result : await start.execution;
  return print(io, args, result);
}

function describe(env: Environment): string {
  return env.sandbox ? `the sandbox (account ${env.sandbox.accountId}, state in ${env.stateDir})` : 'AWS';
}
