import type { ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import type { ZodType, z } from 'zod';
import { AppError, type FieldError, validationFailed } from '../domain/errors';

/** Turns zod issues into the API's `errors: [{path, message}]`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Parses with a schema or throws the 422 problem; never a partial result. */
export function parseOrThrow<T extends ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(fieldErrors(result.error));
  return result.data;
}

/**
 * Validates one part of the request. A JSON body must be sent as JSON: anything else is a 415,
 * and unparsable JSON a 400, both as problem+json (hono's own validator would throw plain text).
 */
export function valid<Target extends keyof ValidationTargets, T extends ZodType>(
  target: Target,
  schema: T,
) {
  return validator(target, async (value, c) => {
    if (target !== 'json') return parseOrThrow(schema, value);
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
      throw new AppError(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'Send the body as application/json.',
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError(
        400,
        'validation_failed',
        'Malformed JSON',
        'The request body is not valid JSON.',
        {
          errors: [{ path: '(root)', message: 'Malformed JSON' }],
        },
      );
    }
    return parseOrThrow(schema, body);
  });
}
