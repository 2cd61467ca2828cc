// The sandbox's simulated Atlas organization served over node:http on 127.0.0.1, so the Atlas adapter
// can be pointed at it with ATLAS_BASE_URL exactly as at cloud.mongodb.com. Records every request
// (method, path, headers, body) as it arrived on the socket.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sandbox, type SandboxSeedInput } from '../../src/core/sandbox/index.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  responseBody: string;
}

export interface AtlasHttpServer {
  baseUrl: string;
  /** the simulated account behind the server (its own, never attached to this process's clients) */
  sandbox: Sandbox;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startAtlasHttpServer(seed: SandboxSeedInput): Promise<AtlasHttpServer> {
  const sandbox = Sandbox.fromSeed(seed);
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      const method = req.method ?? 'GET';
      sandbox
        .atlasFetch(`https://cloud.mongodb.com${req.url ?? '/'}`, {
          method,
          headers,
          ...(method !== 'GET' && method !== 'HEAD' && { body }),
        })
        .then(async (answer) => {
          const text = await answer.text();
          received.push({
            method,
            path: req.url ?? '',
            headers: req.headers,
            body,
            status: answer.status,
            responseBody: text,
          });
          res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
          res.end(text);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sandbox,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
