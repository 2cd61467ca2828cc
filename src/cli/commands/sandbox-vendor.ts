// `privatelink sandbox vendor accept|reject --endpoint-id VPCE`: plays the vendor that owns an endpoint
// service (Pinecone's console, say): accepts or rejects an endpoint waiting for its acceptance. A run
// waiting in WAITING_FOR_VENDOR, here or in another terminal, sees it at its next check.
import type { Environment } from '../../core/app/environment.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { EXIT, type Io } from './io.ts';

async function decide(decision: 'accept' | 'reject', args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!env.sandbox) throw new UsageError(`sandbox vendor ${decision} needs the sandbox (not --aws)`, 'SandboxOnly');
  // VendorActionError (no such endpoint, not a vendor's service, not pending) reaches main: exit 2.
  const outcome = await env.sandbox.vendorDecide(args.endpointId ?? '', decision);
  // The sandbox keeps the action under its lock when it shares its state directory; saved outright
  // too, since env.save() writes only when the clock or the call counts moved, and the action moves neither.
  await env.sandbox.save(env.stateDir);
  io.err(
    `privatelink: the vendor ${decision === 'accept' ? 'accepted' : 'rejected'} ${outcome.endpointId} on ${outcome.serviceId}; it is ${outcome.state} now`,
  );
  if (args.json) io.out(JSON.stringify({ ...outcome, decision }, null, 2));
  else io.out(`${outcome.endpointId} ${outcome.state}`);
  return EXIT.ok;
}

export const accept = (args: CliArgs, env: Environment, io: Io) => decide('accept', args, env, io);
export const reject = (args: CliArgs, env: Environment, io: Io) => decide('reject', args, env, io);
