// Turns SDK v3 errors into the project's own errors at the adapter boundary, so the state machine's
// Retry matches TransientAwsError and everything else fails fast as AwsRequestError.
import { AwsRequestError, TransientAwsError } from '../errors.ts';

/** Throttling and server-side codes: waiting and retrying can succeed. */
const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'EC2ThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  // Route 53: "another request modified the object at the same time; retry"
  'ConcurrentModification',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'Unavailable',
]);

/** Errors raised below the AWS protocol (socket, DNS, timeouts): they carry no AWS code. */
const NETWORK_CODES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'NetworkingError',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  Message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function asShape(error: unknown): SdkErrorShape | undefined {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : undefined;
}

/** The AWS error code of an SDK error, or undefined when the error did not come from an AWS answer. */
function sdkCode(shape: SdkErrorShape): string | undefined {
  const fromAws = typeof shape.$metadata === 'object' || typeof shape.$fault === 'string' || 'Code' in shape;
  if (!fromAws) return undefined;
  if (typeof shape.Code === 'string' && shape.Code) return shape.Code;
  return typeof shape.name === 'string' && shape.name ? shape.name : undefined;
}

function networkCode(shape: SdkErrorShape): string | undefined {
  if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return shape.code;
  if (typeof shape.name === 'string' && NETWORK_CODES.has(shape.name)) return shape.name;
  return undefined;
}

export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

/** The project error for an AWS code reported outside an exception (e.g. an EC2 `Unsuccessful` item). */
export function codedError(code: string, operation: string, message: string, cause?: unknown): Error {
  const options = cause === undefined ? undefined : { cause };
  return isTransientCode(code)
    ? new TransientAwsError(code, operation, message, options)
    : new AwsRequestError(code, operation, message, options);
}

export function translateAwsError(error: unknown, operation: string): Error {
  if (error instanceof TransientAwsError || error instanceof AwsRequestError) return error;
  const shape = asShape(error);
  if (!shape) return new Error(String(error));
  const text =
    typeof shape.Message === 'string' ? shape.Message : typeof shape.message === 'string' ? shape.message : '';

  // Checked first: the SDK's retry layer attaches $metadata to socket errors too.
  const network = networkCode(shape);
  if (network) return new TransientAwsError(network, operation, text || network, { cause: error });

  const code = sdkCode(shape);
  if (!code) return error instanceof Error ? error : new Error(String(error));
  const status = shape.$metadata?.httpStatusCode;
  const serverSide = shape.$fault === 'server' || (typeof status === 'number' && (status >= 500 || status === 429));
  if (serverSide || isTransientCode(code)) {
    return new TransientAwsError(code, operation, text || code, { cause: error });
  }
  return new AwsRequestError(code, operation, text || code, { cause: error });
}

/** Whether an SDK error, or one already translated, carries one of these AWS codes. */
export function isAwsCode(error: unknown, ...codes: string[]): boolean {
  if (error instanceof TransientAwsError || error instanceof AwsRequestError) return codes.includes(error.code);
  const shape = asShape(error);
  const code = shape && sdkCode(shape);
  return code !== undefined && codes.includes(code);
}

/** Every SDK call of the adapters goes through here, so no raw SDK error leaves them. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, operation);
  }
}
