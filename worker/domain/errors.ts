/**
 * The one domain error and the one table of problems. Routes throw `problem(code, detail)`;
 * `app.onError` turns it into `application/problem+json`. Codes are stable and
 * machine-readable (docs/API.md); each has exactly one status and one title, here.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const PROBLEMS = {
  validation_failed: { status: 422, title: 'Validation failed' },
  not_found: { status: 404, title: 'Not found' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  cross_site_form: { status: 403, title: 'Form sent from another site' },
  rate_limited: { status: 429, title: 'Too many requests' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  sold_out: { status: 409, title: 'Sold out' },
  not_on_sale: { status: 409, title: 'Not on sale' },
  max_per_order_exceeded: { status: 422, title: 'Too many tickets' },
  hold_expired: { status: 409, title: 'Hold expired' },
  hold_in_checkout: { status: 409, title: 'Hold in checkout' },
  hold_converted: { status: 409, title: 'Hold already sold' },
  idempotency_key_required: { status: 400, title: 'Idempotency-Key required' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused' },
  capacity_below_sold: { status: 409, title: 'Capacity below sold' },
  slug_taken: { status: 409, title: 'Slug taken' },
  invalid_state: { status: 409, title: 'Not possible in this state' },
  refund_exceeds_paid: { status: 422, title: 'Refund too large' },
  invalid_signature: { status: 400, title: 'Invalid signature' },
  payment_provider_error: { status: 502, title: 'Payment provider error' },
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  invalid_token: { status: 401, title: 'Invalid token' },
  waiting_room_off: { status: 409, title: 'No waiting room' },
  queue_not_open: { status: 409, title: 'Queue not open yet' },
  admission_required: { status: 403, title: 'Admission required' },
  admission_ended: { status: 403, title: 'Admission ended' },
  admission_in_use: { status: 409, title: 'Admission in use' },
  order_total_too_large: { status: 422, title: 'Order total too large' },
  payments_not_configured: { status: 503, title: 'Payments not configured' },
  hold_limit_reached: { status: 409, title: 'Too many tickets held' },
  nonce_reused: { status: 422, title: 'Nonce reused' },
  try_again_later: { status: 503, title: 'Try again shortly' },
  connect_not_configured: { status: 503, title: 'Stripe Connect not configured' },
  operator_api_not_configured: { status: 503, title: 'Operator API not configured' },
  ticket_already_refunded: { status: 409, title: 'Ticket already refunded' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof PROBLEMS;
export type ProblemStatus = (typeof PROBLEMS)[ErrorCode]['status'];

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  readonly title: string;

  /**
   * Status and title come from `PROBLEMS`. `override` is only for problems that mirror an
   * HTTP error raised outside our code (hono's own 400 for malformed JSON), and for the one
   * code the contract answers with two statuses: `payments_not_configured` is 503 at checkout
   * and 409 when publishing (catalog/test-mode.ts).
   */
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    override?: { status: ContentfulStatusCode; title: string },
  ) {
    super(`${code}: ${detail}`);
    this.name = 'AppError';
    this.status = override?.status ?? PROBLEMS[code].status;
    this.title = override?.title ?? PROBLEMS[code].title;
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

/** The one way to raise a problem: `throw problem('sold_out', 'Not enough tickets left.')`. */
export const problem = (
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): AppError => new AppError(code, detail, extra);

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid.') =>
  problem('validation_failed', detail, { errors });

export const notFound = (what: string) => problem('not_found', `No such ${what}.`);

export const unauthorized = (detail = 'Missing or invalid credentials.') =>
  problem('unauthorized', detail);
