// `privatelink serve`: node:http on loopback, turning each request into the API Gateway HTTP API event
// the Lambda handlers get, so the very same route handlers answer.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, type HttpEvent, type HttpResponse, json } from '../core/app/http-event.ts';
import { MAX_BODY_BYTES } from './routes.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Keep reading (and dropping) so the client sees the 413 rather than a reset connection.
    if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}

export async function toHttpEvent(req: IncomingMessage, body: Buffer): Promise<HttpEvent> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers))
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  return {
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: query,
    ...(body.length > 0 && { body: body.toString('base64'), isBase64Encoded: true }),
    requestContext: { http: { method: req.method ?? 'GET' } },
  };
}

export async function startHttpServer(
  handle: (event: HttpEvent) => Promise<HttpResponse>,
  options: { port: number; host?: string; logError?: (correlationId: string, error: unknown) => void },
): Promise<RunningServer> {
  const server: Server = createServer(async (req, res) => {
    let response: HttpResponse;
    try {
      response = await handle(await toHttpEvent(req, await readBody(req)));
    } catch (error) {
      if (error instanceof BodyTooLarge)
        response = json(413, errorBody('PayloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`));
      else {
        // Reading the request failed (the handlers themselves never throw): as they do, only an id in the body.
        const correlationId = randomUUID();
        (options.logError ?? ((id, e) => console.error(`privatelink: internal error ${id}: ${String(e)}`)))(
          correlationId,
          error,
        );
        response = json(500, errorBody('InternalError', 'internal error', { correlationId }));
      }
    }
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
