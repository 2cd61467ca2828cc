// The HTTP and Slack Lambdas' event, checked with Powertools parser before a route sees it: an API Gateway
// HTTP API (payload v2) event. API Gateway builds it, so one that does not parse means the integration is
// misconfigured (payload 1.0, a direct invoke): a 500 with a correlation id, the failing fields (never their
// values: headers carry signatures) in the log, nothing of the event or the error in the body.
import { randomUUID } from 'node:crypto';
import type { ParseError } from '@aws-lambda-powertools/parser/errors';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import type { MiddlewareObj } from '@middy/core';
import { errorBody, type HttpEvent, type HttpResponse, json } from '../core/app/http-event.ts';

/** The event did not parse as an HTTP API v2 event; `issues` name the fields, not their values. */
export class HttpEventParseError extends Error {
  override readonly name = 'HttpEventParseError' as const;
  constructor(readonly issues: { path: string; message: string }[]) {
    const paths = issues.map((i) => i.path || '(the event)');
    const more = paths.length > 5 ? `, … ${paths.length} in all` : '';
    super(`the event is not an API Gateway HTTP API v2 event (${paths.slice(0, 5).join(', ')}${more})`);
  }
}

/** The issues Powertools parser reports (Standard Schema issues), as paths and messages. */
export function parseIssues(error: ParseError): { path: string; message: string }[] {
  const issues = Array.isArray(error.cause) ? (error.cause as { path?: unknown[]; message?: unknown }[]) : [];
  return issues.slice(0, 20).map((issue) => ({
    path: (issue.path ?? [])
      .map((key) => (typeof key === 'object' && key !== null && 'key' in key ? String(key.key) : String(key)))
      .join('.'),
    message: String(issue.message ?? 'is invalid'),
  }));
}

/** Where a malformed event's details go: the log (Lambda: Powertools logger), never the body. */
export type LogHttpError = (correlationId: string, error: unknown) => void;

/** The middleware: a parsed event for the handler, or a 500 answered at once. */
export function httpEventParser(logError: LogHttpError): MiddlewareObj<HttpEvent, HttpResponse> {
  return parser({
    schema: APIGatewayProxyEventV2Schema,
    errorHandler: (error: ParseError): HttpResponse => {
      const correlationId = randomUUID();
      logError(correlationId, new HttpEventParseError(parseIssues(error)));
      return json(500, errorBody('InternalError', 'internal error', { correlationId }));
    },
  }) as MiddlewareObj<HttpEvent, HttpResponse>;
}
