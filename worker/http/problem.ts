import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, problem } from '../domain/errors';

const PROBLEM_TYPE = 'application/problem+json';

export function problemResponse(error: AppError, requestId?: string): Response {
  const body = requestId ? { ...error.toProblem(), requestId } : error.toProblem();
  const headers = new Headers({ 'content-type': PROBLEM_TYPE });
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) headers.set('retry-after', String(retryAfter));
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** A problem's `retryAfterSeconds` (a 429's wait), which also goes out as `Retry-After`. */
export function retryAfterSeconds(error: AppError): number | undefined {
  const seconds = error.extra.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0
    ? seconds
    : undefined;
}

/** `app.onError`: domain errors become their problem; anything else is logged and a bare 500. */
export function handleError(error: Error, c: Context): Response {
  const requestId = c.get('requestId') as string | undefined;
  if (error instanceof AppError) return problemResponse(error, requestId);
  // hono's own 4xx keep their status: malformed JSON (400), hono/csrf (403), bodyLimit (413).
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
    return problemResponse(httpExceptionProblem(error), requestId);
  }
  console.error(
    JSON.stringify({ level: 'error', requestId, message: error.message, stack: error.stack }),
  );
  return new Response(
    JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side.',
      code: 'internal_error',
      requestId,
    }),
    { status: 500, headers: { 'content-type': PROBLEM_TYPE } },
  );
}

export function notFoundHandler(c: Context): Response {
  return problemResponse(problem('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}

const CODE_BY_STATUS: Partial<Record<ContentfulStatusCode, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function httpExceptionProblem(error: HTTPException): AppError {
  const code = CODE_BY_STATUS[error.status];
  if (code) return new AppError(code, error.message || 'The request was refused.');
  return new AppError(
    'validation_failed',
    error.message,
    { errors: [{ path: '(root)', message: error.message }] },
    { status: error.status, title: 'Malformed request' },
  );
}
