// Atlas service-account tokens (OAuth 2.0 client credentials): POST /api/oauth/token with the client id
// and secret in a Basic header (SPEC info.description L44870-44896; SDK clientcredentials.go). A token
// is valid for an hour and service accounts have token limits (SDK doc_4_authentication.md L101), so it
// is cached per base URL and client, and concurrent callers share one token request.
import { createHash } from 'node:crypto';
import type { AtlasFetch } from '../atlas-transport.ts';
import { AtlasApiError } from '../errors.ts';
import { USER_AGENT } from './operations.ts';
import { type RetryPolicy, withRetries } from './retry.ts';
import { parseErrorBody, translateAtlasResponse } from './translate-error.ts';

export interface AtlasCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenSource {
  /** A valid bearer token, from the cache or a new token request. */
  token(): Promise<string>;
  /** Atlas refused this token (401): forget it so the next token() asks for a new one. */
  invalidate(token: string): void;
}

interface CachedToken {
  value: string;
  /** on the adapter's clock, margin already taken off */
  renewAt: number;
}

interface Entry {
  cached?: CachedToken;
  pending?: Promise<CachedToken>;
}

/** Shared by every adapter in the process (a warm Lambda reuses its token across invocations). */
const entries = new Map<string, Entry>();

/** Forgets every cached token (tests). */
export function clearAtlasTokens(): void {
  entries.clear();
}

/** Atlas documents 3600 s; used when the answer has no expires_in. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** Renew this long before expiry (at most a tenth of the lifetime) so no call carries a token that lapses in flight. */
const MARGIN_SECONDS = 300;

function renewAt(issuedAt: number, expiresIn: number): number {
  const margin = Math.min(MARGIN_SECONDS, expiresIn / 10);
  return issuedAt + (expiresIn - margin) * 1000;
}

/** The secret is part of the key (hashed) so a rotated secret never reuses the old one's token. */
function cacheKey(tokenUrl: string, credentials: AtlasCredentials): string {
  const secret = createHash('sha256').update(credentials.clientSecret).digest('hex').slice(0, 16);
  return `${tokenUrl}\n${credentials.clientId}\n${secret}`;
}

export interface TokenSourceOptions {
  baseUrl: string;
  credentials: () => Promise<AtlasCredentials>;
  fetch: AtlasFetch;
  policy: RetryPolicy;
  timeoutMs: number;
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const tokenUrl = `${options.baseUrl}/api/oauth/token`;

  async function request(credentials: AtlasCredentials): Promise<CachedToken> {
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
    const issuedAt = options.policy.now();
    const response = await withRetries('getToken', options.policy, () =>
      options.fetch(tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'User-Agent': USER_AGENT,
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
    );
    const raw = await response.text();
    if (!response.ok) {
      throw translateAtlasResponse(
        'getToken',
        response.status,
        parseErrorBody(raw, response.status, response.statusText),
      );
    }
    return { value: accessToken(raw, response.status), renewAt: renewAt(issuedAt, expiresIn(raw)) };
  }

  return {
    async token() {
      const credentials = await options.credentials();
      const key = cacheKey(tokenUrl, credentials);
      let entry = entries.get(key);
      if (!entry) {
        entry = {};
        entries.set(key, entry);
      }
      if (entry.cached && options.policy.now() < entry.cached.renewAt) return entry.cached.value;
      entry.pending ??= share(entry, request(credentials));
      return (await entry.pending).value;
    },
    invalidate(token) {
      // Only that token: a newer one another caller already fetched stays.
      for (const entry of entries.values()) if (entry.cached?.value === token) entry.cached = undefined;
    },
  };
}

/** One token request for every concurrent caller; cached when it succeeds, forgotten either way. */
function share(entry: Entry, request: Promise<CachedToken>): Promise<CachedToken> {
  return request.then(
    (token) => {
      entry.cached = token;
      entry.pending = undefined;
      return token;
    },
    (error: unknown) => {
      entry.pending = undefined;
      throw error;
    },
  );
}

function parse(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function accessToken(raw: string, status: number): string {
  const token = parse(raw)?.access_token;
  // A bearer token is a token68 (RFC 6750 §2.1): anything else must not go into a header.
  if (typeof token !== 'string' || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new AtlasApiError(
      'INVALID_TOKEN_RESPONSE',
      'getToken',
      status,
      'the token answer has no usable access_token',
    );
  }
  return token;
}

function expiresIn(raw: string): number {
  const value = parse(raw)?.expires_in;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_LIFETIME_SECONDS;
}
