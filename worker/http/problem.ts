import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../domain/errors';

const PROBLEM_TYPE = 'application/problem+json';

export function problemResponse(error: AppError, requestId?: string): Response {
  const body = requestId ? { ...error.toProblem(), requestId } : error.toProblem();
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': PROBLEM_TYPE },
  });
}

/** `app.onError`: domain errors become their problem; anything else is logged and a bare 500. */
export function handleError(error: Error, c: Context): Response {
  const requestId = c.get('requestId') as string | undefined;
  if (error instanceof AppError) return problemResponse(error, requestId);
  // hono's own 4xx (malformed JSON while validating) becomes a problem like any other.
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
    return problemResponse(
      new AppError(400, 'validation_failed', 'Malformed request', error.message, {
        errors: [{ path: '(root)', message: error.message }],
      }),
      requestId,
    );
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
  return problemResponse(
    new AppError(404, 'not_found', 'Not found', `No route for ${c.req.method} ${c.req.path}.`),
  );
}
