// `privatelink serve` as the tests drive it: the real node:http server on 127.0.0.1 over the local
// runner and a fresh sandbox, called with fetch.
import { localHttpHandler } from '../../src/cli/serve-app.ts';
import { type Environment, openEnvironment } from '../../src/core/app/environment.ts';
import type { ProvisionResult } from '../../src/core/domain/result.ts';
import type { LocalWorkflows } from '../../src/http/local-workflows.ts';
import { type RunningServer, startHttpServer } from '../../src/http/node-server.ts';
import { type SandboxDir, sandboxDir } from './cli.ts';

export interface ServeReply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body the tests read field by field
  body: any;
}

export interface Served {
  sandbox: SandboxDir;
  env: Environment;
  server: RunningServer;
  workflows: LocalWorkflows;
  /** a JSON body is sent as JSON; a string as it is */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ServeReply>;
  /** polls GET /endpoints/{id} until its status is one of `wanted`; `seen` lists the statuses on the way */
  until(requestId: string, wanted: ProvisionResult['status'][]): Promise<ProvisionResult & { seen: string[] }>;
  close(): Promise<void>;
}

export async function startServe(): Promise<Served> {
  const sandbox = await sandboxDir();
  const env = await openEnvironment({ stateDir: sandbox.dir, seedFile: sandbox.seed });
  const app = localHttpHandler(env, { log: () => {} });
  const server = await startHttpServer(app.handle, { port: 0 });
  const call: Served['call'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    sandbox,
    env,
    server,
    workflows: app.workflows,
    call,
    async until(requestId, wanted) {
      const seen: string[] = [];
      for (let i = 0; i < 600; i++) {
        const { body } = await call('GET', `/endpoints/${requestId}`);
        if (seen.at(-1) !== body.status) seen.push(body.status);
        if (wanted.includes(body.status)) return Object.assign(body, { seen });
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`${requestId} never reached ${wanted.join('|')} (seen: ${seen.join(' → ')})`);
    },
    async close() {
      await server.close();
      await app.workflows.settled();
      await env.close();
      await sandbox.cleanup();
    },
  };
}
