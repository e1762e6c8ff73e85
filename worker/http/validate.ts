import type { ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import type { ZodType, z } from 'zod';
import { type FieldError, problem, validationFailed } from '../domain/errors';

/** Turns zod issues into the API's `errors: [{path, message}]`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, one entry per field.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'Unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

function pathOf(path: PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/** Parses with a schema or throws the 422 problem; never a partial result. */
export function parseOrThrow<T extends ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(fieldErrors(result.error));
  return result.data;
}

/**
 * Validates one part of the request. A JSON body must be sent as JSON (else 415); hono parses
 * it before this runs and reports malformed JSON as an HTTPException, which `handleError`
 * turns into a 400 problem.
 */
export function valid<Target extends keyof ValidationTargets, T extends ZodType>(
  target: Target,
  schema: T,
) {
  return validator(target, (value, c) => {
    if (target === 'json' && !isJsonContentType(c.req.header('content-type'))) {
      throw problem('unsupported_media_type', 'Send the body as application/json.');
    }
    return parseOrThrow(schema, value);
  });
}

export function isJsonContentType(type: string | undefined): boolean {
  return /^application\/([a-z.+-]*\+)?json\b/i.test(type ?? '');
}
