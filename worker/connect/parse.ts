import { type ZodType, z } from 'zod';

/**
 * Parses what Stripe sent with a schema; a mismatch is a contract breach (a bug or an API
 * change), thrown as a plain error: logged and a 500, never a half-read object stored.
 */
export function parseOrThrowError<T extends ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${what} not as expected: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
