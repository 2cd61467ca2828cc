// The slice of an API Gateway HTTP API (payload v2) event the handlers read, and what they return.
// `privatelink serve` builds the same shape from node:http, so one set of handlers serves both.

/** The largest body any route (Slack's included) reads. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  /** lower-case names, as API Gateway delivers them */
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string } };
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** The raw body as bytes, decoding API Gateway's base64 when it used it. */
export function rawBody(event: HttpEvent): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
