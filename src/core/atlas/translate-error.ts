// Atlas answers errors with ApiError {error, errorCode, detail, reason, parameters} (SPEC L3187-3220).
// 429 and 5xx become TransientAtlasError (the state machine retries them), other 4xx AtlasApiError,
// both carrying Atlas's errorCode, or HTTP_<status> when the body has none (a proxy's HTML page).
import { AtlasApiError, TransientAtlasError } from '../errors.ts';
import type { AtlasOperation } from './operations.ts';

export interface AtlasErrorBody {
  /** Atlas's errorCode; undefined when the body has none */
  errorCode: string | undefined;
  /** the token endpoint may answer in OAuth's form instead (RFC 6749 §5.2: {error: "invalid_client"}) */
  oauthError: string | undefined;
  detail: string;
}

const MAX_DETAIL = 500;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Reads an error body of any kind: ApiError JSON, OAuth's {error, error_description}, or plain text. */
export function parseErrorBody(raw: string, status: number, statusText: string): AtlasErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const body = parsed as Record<string, unknown>;
    // ApiError puts the status number in `error`; OAuth puts a string code there.
    const detail = text(body.detail) ?? text(body.error_description) ?? text(body.reason);
    return {
      errorCode: text(body.errorCode),
      oauthError: text(body.error),
      detail: clip(detail ?? `HTTP ${status} ${statusText}`.trim()),
    };
  }
  const shown = raw.trim() ? `: ${clip(raw)}` : '';
  return { errorCode: undefined, oauthError: undefined, detail: `HTTP ${status} ${statusText}`.trim() + shown };
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After in seconds (SPEC L11-14: "might be returned for 429 or 503"); an HTTP date is accepted too. */
export function retryAfterSeconds(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

export function transientAtlasError(
  operation: AtlasOperation,
  status: number,
  body: AtlasErrorBody,
  retryAfter?: number,
): TransientAtlasError {
  const options = retryAfter === undefined ? undefined : { retryAfterSeconds: retryAfter };
  return new TransientAtlasError(body.errorCode ?? `HTTP_${status}`, operation, body.detail, options);
}

export function translateAtlasResponse(
  operation: AtlasOperation,
  status: number,
  body: AtlasErrorBody,
  retryAfter?: number,
): TransientAtlasError | AtlasApiError {
  if (isTransientStatus(status)) return transientAtlasError(operation, status, body, retryAfter);
  return new AtlasApiError(body.errorCode ?? fallbackCode(operation, status, body), operation, status, body.detail);
}

/** The token call's refusals, reported in Atlas's style (INVALID_CREDENTIALS, INVALID_GRANT). */
function fallbackCode(operation: AtlasOperation, status: number, body: AtlasErrorBody): string {
  if (operation !== 'getToken') return `HTTP_${status}`;
  if (status === 401 || body.oauthError === 'invalid_client') return 'INVALID_CREDENTIALS';
  if (body.oauthError && /^[a-z_]{1,64}$/.test(body.oauthError)) return body.oauthError.toUpperCase();
  return `HTTP_${status}`;
}

/**
 * Whether fetch failed below HTTP: undici's TypeError "fetch failed" (the socket's code in `cause`), a
 * timeout or an abort. Other throws (a bad header, a bug) are not retried as if Atlas were away.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  const cause = error.cause as { code?: unknown } | undefined;
  return error.message === 'fetch failed' || typeof cause?.code === 'string';
}

/** A failure below HTTP as the project's transient error, named by the socket's code where there is one. */
export function translateNetworkError(operation: AtlasOperation, error: unknown): TransientAtlasError {
  const name = error instanceof Error ? error.name : '';
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const causeCode = typeof cause?.code === 'string' ? cause.code : undefined;
  const code = name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : (causeCode ?? 'NETWORK_ERROR');
  let message = error instanceof Error ? error.message : String(error);
  if (typeof cause?.message === 'string' && cause.message) message += ` (${cause.message})`;
  return new TransientAtlasError(code, operation, `request failed before Atlas answered: ${clip(message)}`, {
    cause: error,
  });
}
