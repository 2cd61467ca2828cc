// Atlas's answers on the wire: ApiError bodies (SPEC ApiError, L3187-3220), versioned media types, and
// the OAuth token endpoint's own errors (RFC 6749 §5.2), for the simulated Atlas organization.

export interface AtlasAnswer {
  status: number;
  headers: Record<string, string>;
  /** absent for 204 */
  body?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What Retry-After says on a simulated 429/503 (SPEC L11-14: "might be returned for 429 or 503"). */
export const RETRY_AFTER_SECONDS = 10;

export function json(status: number, value: unknown, contentType = 'application/json'): AtlasAnswer {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(value) };
}

export function apiError(
  status: number,
  errorCode: string,
  detail: string,
  parameters: unknown[] = [],
  headers: Record<string, string> = {},
): AtlasAnswer {
  const answer = json(status, { detail, error: status, errorCode, parameters, reason: REASONS[status] ?? 'Error' });
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

/** A bearer token missing, unknown or expired. The detail is Atlas's; the code is (inference) its usual one. */
export function unauthorized(): AtlasAnswer {
  return apiError(401, 'UNAUTHORIZED', 'You are not authorized for this resource.', [], {
    'www-authenticate': 'Bearer',
  });
}

export function notFound(detail: string, parameters: unknown[] = []): AtlasAnswer {
  return apiError(404, 'RESOURCE_NOT_FOUND', detail, parameters);
}

export function badRequest(detail: string, parameters: unknown[] = [], errorCode = 'VALIDATION_ERROR'): AtlasAnswer {
  return apiError(400, errorCode, detail, parameters);
}

/** Verbatim shape from TFP issue #3422 (VENDORS §1.1). */
export function serviceAlreadyExists(region: string): AtlasAnswer {
  return apiError(
    409,
    'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
    `A private endpoint service already exists for AWS region ${region}.`,
    ['AWS', region],
  );
}

/** OAuth 2.0 token endpoint errors (RFC 6749 §5.2), which are not Atlas ApiErrors. */
export function oauthError(status: 400 | 401, error: string, description: string): AtlasAnswer {
  const answer = json(status, { error, error_description: description });
  return status === 401 ? { ...answer, headers: { ...answer.headers, 'www-authenticate': 'Basic' } } : answer;
}

/**
 * The statuses a fault may answer, each with the ApiError code Atlas documents for it (SPEC
 * components.responses, L176-305; 429 from the Atlas rate-limit doc's sample).
 */
export const FAULT_STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  402: 'NO_PAYMENT_INFORMATION_FOUND',
  403: 'CANNOT_CHANGE_GROUP_NAME',
  404: 'RESOURCE_NOT_FOUND',
  409: 'CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK',
  410: 'VERSION_GONE',
  429: 'RATE_LIMITED_TOKEN_BUCKET',
  500: 'UNEXPECTED_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** The answer of a `--fault atlas:OPERATION:STATUS` call; `region` (Atlas-style) is the request's, for a 409 on create. */
export function faultAnswer(operation: string, status: number, path: string, region = 'US_EAST_1'): AtlasAnswer {
  const cause = `simulated by the sandbox fault atlas:${operation}:${status}`;
  if (operation === 'getToken' && status === 401) return oauthError(401, 'invalid_client', cause);
  if (status === 409 && operation === 'createEndpointService') return serviceAlreadyExists(region);
  const retry = { 'retry-after': String(RETRY_AFTER_SECONDS) };
  if (status === 429) {
    const scope = path.replace(/^\//, '');
    return apiError(
      429,
      'RATE_LIMITED_TOKEN_BUCKET',
      `Rate limit exceeded for ${scope}. Please retry after ${RETRY_AFTER_SECONDS} seconds. (${cause})`,
      [scope, RETRY_AFTER_SECONDS, 10, 5, 60],
      retry,
    );
  }
  const code = FAULT_STATUS_CODES[status] ?? 'UNEXPECTED_ERROR';
  return apiError(status, code, `${REASONS[status] ?? 'Error'} (${cause})`, [], status === 503 ? retry : {});
}
