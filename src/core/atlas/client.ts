// How one Atlas call goes out: the bearer token (renewed once on a 401), the versioned media type,
// in-call retries of transient answers, and every non-2xx translated into the project's errors.
import { type AtlasFetch, atlasFetch } from '../atlas-transport.ts';
import { clock, sleep as clockSleep } from '../clock.ts';
import { AtlasApiError } from '../errors.ts';
import { type AtlasCredentials, createTokenSource } from './oauth.ts';
import { type AtlasOperation, USER_AGENT } from './operations.ts';
import { type RetryPolicy, withRetries } from './retry.ts';
import { parseErrorBody, translateAtlasResponse } from './translate-error.ts';

export interface AtlasAdapterOptions {
  /** default ATLAS_BASE_URL, else https://cloud.mongodb.com (SPEC servers, L74774) */
  baseUrl?: string;
  credentials: () => Promise<AtlasCredentials>;
  fetch?: AtlasFetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** the longest Retry-After waited out inside a call (default 60); longer ones go to the state machine */
  maxRetryAfterSeconds?: number;
  /** in-call retries of 429/5xx/network failures (default 2) */
  retries?: number;
  /** per request (default 30 s) */
  timeoutMs?: number;
}

export interface AtlasCall {
  operation: AtlasOperation;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  mediaType: string;
  body?: unknown;
  /** get*: a 404 means "no such resource" (undefined); delete*: gone already (success) */
  missingIsAbsent?: true;
}

/** What send() returns for a 404 when the call allows it. */
export const NOT_FOUND = Symbol('not found');

export function normalizedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`ATLAS_BASE_URL ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`ATLAS_BASE_URL ${JSON.stringify(baseUrl)} must be http(s)`);
  }
  if (url.search || url.hash) throw new Error(`ATLAS_BASE_URL ${JSON.stringify(baseUrl)} must not carry a query`);
  return url.href.replace(/\/+$/, '');
}

export interface AtlasClient {
  /** The answer's JSON (undefined for an empty 2xx), or NOT_FOUND for a 404 when the call allows it. */
  send(call: AtlasCall): Promise<unknown>;
}

export function createAtlasClient(options: AtlasAdapterOptions): AtlasClient {
  const baseUrl = normalizedBaseUrl(options.baseUrl ?? process.env.ATLAS_BASE_URL ?? 'https://cloud.mongodb.com');
  const fetch = options.fetch ?? atlasFetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy: RetryPolicy = {
    now: options.now ?? (() => clock.now()),
    sleep: options.sleep ?? clockSleep,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    retries: options.retries ?? 2,
  };
  const tokens = createTokenSource({ baseUrl, credentials: options.credentials, fetch, policy, timeoutMs });

  function attempt(call: AtlasCall, token: string): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: call.mediaType,
      Authorization: `Bearer ${token}`,
      'User-Agent': USER_AGENT,
    };
    if (call.body !== undefined) headers['Content-Type'] = call.mediaType;
    const init: RequestInit = { method: call.method, headers, signal: AbortSignal.timeout(timeoutMs) };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);
    return fetch(`${baseUrl}${call.path}`, init);
  }

  async function send(call: AtlasCall): Promise<unknown> {
    let response: Response;
    for (let renewed = false; ; renewed = true) {
      const token = await tokens.token();
      response = await withRetries(call.operation, policy, () => attempt(call, token));
      // An expired or revoked token: drop it and try once more with a new one.
      if (response.status !== 401 || renewed) break;
      tokens.invalidate(token);
      await response.body?.cancel();
    }
    const raw = await response.text();
    if (response.status === 404 && call.missingIsAbsent) return NOT_FOUND;
    if (!response.ok) {
      throw translateAtlasResponse(
        call.operation,
        response.status,
        parseErrorBody(raw, response.status, response.statusText),
      );
    }
    if (!raw.trim()) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new AtlasApiError('UNEXPECTED_RESPONSE', call.operation, response.status, "Atlas's answer is not JSON");
    }
  }

  return { send };
}
