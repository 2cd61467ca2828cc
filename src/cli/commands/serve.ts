// `privatelink serve [--port 3000]`: the HTTP API and the Slack webhook on 127.0.0.1, answered by the
// same handlers as in Lambda, over the local runner (sandbox or --aws). Runs until SIGINT or SIGTERM.
import type { Environment } from '../../core/app/environment.ts';
import { startHttpServer } from '../../http/node-server.ts';
import type { CliArgs } from '../args.ts';
import { localHttpHandler } from '../serve-app.ts';
import { EXIT, type Io } from './io.ts';

export const DEFAULT_PORT = 3000;

export async function serve(args: CliArgs, env: Environment, io: Io): Promise<number> {
  const { handle } = localHttpHandler(env, { log: io.err });
  const server = await startHttpServer(handle, { port: args.port ?? DEFAULT_PORT });
  io.err(`privatelink: serving the HTTP API on ${server.url} over ${env.kind === 'aws' ? 'AWS' : 'the sandbox'}`);
  io.err(`privatelink: try  curl -s ${server.url}/endpoints   (Ctrl-C stops)`);
  // With --json, the one object is where to reach it (the server runs until a signal).
  if (args.json) io.out(JSON.stringify({ url: server.url }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  io.err('privatelink: stopping');
  await server.close();
  return EXIT.ok;
}
