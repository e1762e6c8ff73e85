/**
 * The one domain error. Routes throw it; `app.onError` turns it into
 * `application/problem+json`. Codes are stable and machine-readable (API.md).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'sold_out'
  | 'not_on_sale'
  | 'max_per_order_exceeded'
  | 'hold_expired'
  | 'hold_in_checkout'
  | 'hold_converted'
  | 'idempotency_key_required'
  | 'idempotency_key_reused'
  | 'capacity_below_sold'
  | 'slug_taken'
  | 'invalid_state'
  | 'refund_exceeds_paid'
  | 'invalid_signature'
  | 'unsupported_media_type'
  | 'payment_provider_error'
  | 'origin_not_allowed'
  | 'invalid_token'
  | 'waiting_room_off'
  | 'queue_not_open'
  | 'admission_required'
  | 'admission_ended'
  | 'admission_in_use';

export interface FieldError {
  path: string;
  message: string;
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502;

export class AppError extends Error {
  constructor(
    readonly status: ProblemStatus,
    readonly code: ErrorCode,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'AppError';
  }

  toProblem(): Record<string, unknown> {
    return {
      type: `https://tessera.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...this.extra,
    };
  }
}

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid.') =>
  new AppError(422, 'validation_failed', 'Validation failed', detail, { errors });

export const notFound = (what: string) =>
  new AppError(404, 'not_found', 'Not found', `No such ${what}.`);

export const unauthorized = (detail = 'Missing or invalid credentials.') =>
  new AppError(401, 'unauthorized', 'Unauthorized', detail);
