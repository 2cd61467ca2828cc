// `privatelink sandbox advance --seconds N`: moves the sandbox's simulated clock on, as if N seconds
// had passed. Workflows waiting on that clock see it at once (this process) or within a poll (another
// process, e.g. `serve` or a `provision` waiting for the other party): past WaitForConsumer's
// TimeoutSeconds the wait fails with States.Timeout and the workflow undoes what it made.
import type { Environment } from '../../core/app/environment.ts';
import { type CliArgs, UsageError } from '../args.ts';
import { EXIT, type Io } from './io.ts';

export async function advance(args: CliArgs, env: Environment, io: Io): Promise<number> {
  if (!env.sandbox) throw new UsageError('sandbox advance needs the sandbox (not --aws)');
  if (args.seconds === undefined) throw new UsageError('sandbox advance needs --seconds N');
  env.sandbox.advance(args.seconds);
  await env.save();
  const clock = new Date(env.sandbox.clock.now()).toISOString();
  io.err(`privatelink: the sandbox clock moved ${args.seconds} s on, to ${clock}`);
  if (args.json) io.out(JSON.stringify({ clock, advancedSeconds: args.seconds }));
  return EXIT.ok;
}
