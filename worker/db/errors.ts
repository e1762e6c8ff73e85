/** True when a D1 error (possibly wrapped by drizzle) is a UNIQUE constraint violation. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes('UNIQUE constraint failed'))
      return column ? e.message.includes(column) : true;
  }
  return false;
}
