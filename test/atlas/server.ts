// A real HTTP server on 127.0.0.1 (port 0) standing in for Atlas: it records every request exactly as it
// arrived and answers the token endpoint with fresh tokens, everything else from a queue of replies.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON unless a string (sent as it is) */
  body?: unknown;
  contentType?: string;
  /** drop the connection without answering (a failure below HTTP) */
  destroy?: true;
}

export interface FakeAtlas {
  baseUrl: string;
  requests: Recorded[];
  /** requests other than the token call */
  apiRequests(): Recorded[];
  tokenRequests(): Recorded[];
  /** answers the next API calls, in order */
  reply(...replies: Reply[]): void;
  /** answers the next token calls, in order; afterwards tokens token-1, token-2 … valid 3600 s */
  replyToken(...replies: Reply[]): void;
  reset(): void;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/api/oauth/token';

export async function startFakeAtlas(): Promise<FakeAtlas> {
  const requests: Recorded[] = [];
  let replies: Reply[] = [];
  let tokenReplies: Reply[] = [];
  let issued = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const isToken = recorded.path === TOKEN_PATH;
      const reply = isToken
        ? (tokenReplies.shift() ?? {
            status: 200,
            body: { access_token: `token-${++issued}`, expires_in: 3600, token_type: 'Bearer' },
          })
        : (replies.shift() ?? { status: 599, body: 'the test queued no reply for this request' });
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      const text =
        typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
      const contentType = reply.contentType ?? (typeof reply.body === 'string' ? 'text/plain' : 'application/json');
      res.writeHead(reply.status, { ...(text ? { 'Content-Type': contentType } : {}), ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    apiRequests: () => requests.filter((r) => r.path !== TOKEN_PATH),
    tokenRequests: () => requests.filter((r) => r.path === TOKEN_PATH),
    reply: (...next) => replies.push(...next),
    replyToken: (...next) => tokenReplies.push(...next),
    reset() {
      requests.length = 0;
      replies = [];
      tokenReplies = [];
      issued = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
