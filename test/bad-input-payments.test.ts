import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createDb } from '../worker/db/client';
import { newId } from '../worker/domain/ids';
import { SandboxProvider } from '../worker/payments/sandbox';
import { BASE, type CreatedEvent, call, createPublishedEvent, typeId } from './support/api';
import {
  type Auth,
  type Build,
  badInputTable,
  buyer,
  checkin,
  code0,
  EVENTS,
  ev,
  invalid,
  MALFORMED,
  NOT_FOUND,
  outside,
  PRODUCTION,
  problem,
  type Row,
  raw,
  req,
  UNAUTHORIZED,
  type World,
  WRONG_KEY,
  world,
} from './support/bad-input';
import { type Purchase, purchase, settledSnapshot } from './support/db-snapshot';

/** Bad input, payments and tickets: webhooks, the sandbox, QR codes, check-in, unknown routes, body limits, buyer downloads (harness: test/support/bad-input.ts). */

// --- webhooks, sandbox payments ---------------------------------------------------------------------

const stripeWebhooks = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient() })
  .webhooks;
const cryptoProvider = Stripe.createSubtleCryptoProvider();
const OTHER_SECRET = 'whsec_not_the_sandbox_secret_0000000000';

/** The sandbox's success webhook for an order, as the provider would send it. */
function succeededWebhook(paid: Purchase, amountMinor: number): string {
  return JSON.stringify({
    id: `evt_sandbox_${paid.paymentId}_succeeded`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: paid.paymentId,
        object: 'payment_intent',
        amount: amountMinor,
        amount_received: amountMinor,
        currency: 'eur',
        status: 'succeeded',
        metadata: { orderId: paid.orderId },
      },
    },
  });
}

function sign(payload: string, secret: string, ageSeconds = 0): Promise<string> {
  const timestamp = Math.floor(Date.now() / 1000) - ageSeconds;
  return stripeWebhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    timestamp,
    cryptoProvider,
  });
}

/**
 * The success webhook of a fresh pending order (so a wrongly accepted one would pay it),
 * signed by `signature` and then changed by `tamper`.
 */
const webhook =
  (
    signature: (body: string) => Promise<string | null>,
    tamper = (body: string) => body,
    provider = 'sandbox',
  ): Build =>
  async (w) => {
    const pending = await purchase(w.event, typeId(w.event, 'ga'), 1, { pay: false });
    const body = succeededWebhook(pending, 3900);
    const header = await signature(body);
    return raw(
      'POST',
      `/api/v1/webhooks/${provider}`,
      tamper(body),
      'application/json',
      header ? { 'stripe-signature': header } : {},
    );
  };

const BAD_SIGNATURE = problem(400, 'invalid_signature');
const webhookRows: Row[] = [
  ['sandbox: missing signature', BAD_SIGNATURE, webhook(async () => null)],
  ['sandbox: garbage signature', BAD_SIGNATURE, webhook(async () => 't=1700000000,v1=deadbeef')],
  [
    'sandbox: made-up digest',
    BAD_SIGNATURE,
    webhook(async () => `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`),
  ],
  [
    'sandbox: signed with another secret',
    BAD_SIGNATURE,
    webhook((body) => sign(body, OTHER_SECRET)),
  ],
  [
    'sandbox: body changed after signing',
    BAD_SIGNATURE,
    webhook(
      (body) => sign(body, env.SANDBOX_WEBHOOK_SECRET),
      (body) => body.replace('"amount":3900', '"amount":1'),
    ),
  ],
  [
    'sandbox: stale timestamp (10 min)',
    BAD_SIGNATURE,
    webhook((body) => sign(body, env.SANDBOX_WEBHOOK_SECRET, 600)),
  ],
  [
    'stripe: not configured',
    NOT_FOUND,
    webhook((body) => sign(body, OTHER_SECRET), undefined, 'stripe'),
  ],
];

const pay = (w: World, body: unknown) =>
  req('POST', `/sandbox/pay/${w.pending.paymentId}`, { body });
const sandboxPayRows: Row[] = [
  [
    'unknown payment',
    NOT_FOUND,
    () => req('POST', '/sandbox/pay/pi_sandbox_unknown', { body: { outcome: 'succeed' } }),
  ],
  ['outcome "maybe"', invalid('outcome'), (w) => pay(w, { outcome: 'maybe' })],
  ['no outcome', invalid('outcome'), (w) => pay(w, {})],
  [
    'malformed JSON (422 here, not 400)',
    { ...MALFORMED, status: 422 },
    (w) => raw('POST', `/sandbox/pay/${w.pending.paymentId}`, '{"outcome"', 'application/json'),
  ],
  [
    'payment page of an unknown payment',
    NOT_FOUND,
    () => req('GET', '/sandbox/pay/pi_sandbox_unknown'),
  ],
];

const signedWebhook = webhook((body) => sign(body, env.SANDBOX_WEBHOOK_SECRET));
const sandboxOffRows: Row[] = [
  [
    'payment page in production',
    NOT_FOUND,
    outside(PRODUCTION, (w) => req('GET', `/sandbox/pay/${w.pending.paymentId}`)),
  ],
  [
    'payment form in production',
    NOT_FOUND,
    outside(PRODUCTION, (w) => pay(w, { outcome: 'succeed' })),
  ],
  [
    'payment form in staging',
    NOT_FOUND,
    outside({ ENVIRONMENT: 'staging' }, (w) => pay(w, { outcome: 'succeed' })),
  ],
  [
    'payment form with the retired opt-in ALLOW_SANDBOX_PAYMENTS = "true"',
    NOT_FOUND,
    outside({ ...PRODUCTION, ALLOW_SANDBOX_PAYMENTS: 'true' }, (w) =>
      pay(w, { outcome: 'succeed' }),
    ),
  ],
  ['correctly signed sandbox webhook in production', NOT_FOUND, outside(PRODUCTION, signedWebhook)],
];

// --- tickets, check-in, unknown routes ------------------------------------------------------------

const qr =
  (ticketId: (w: World) => string | undefined, query = '') =>
  (w: World) =>
    req('GET', `/api/v1/tickets/${ticketId(w)}/qr.svg${query}`);
const paidTicket = (w: World) => w.paid.tickets[0]?.id;
const qrRows: Row[] = [
  ['no token', UNAUTHORIZED, qr(paidTicket)],
  ['wrong token', NOT_FOUND, qr(paidTicket, '?token=nope')],
  [
    "another order's token",
    NOT_FOUND,
    (w) => qr(paidTicket, `?token=${encodeURIComponent(w.pending.orderToken)}`)(w),
  ],
  [
    'unknown ticket',
    NOT_FOUND,
    (w) => qr(() => newId('tkt'), `?token=${encodeURIComponent(w.paid.orderToken)}`)(w),
  ],
];

const checkinRows: Row[] = [
  [
    'no auth',
    UNAUTHORIZED,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      () => ({}),
    ),
  ],
  [
    'wrong key',
    UNAUTHORIZED,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      () => WRONG_KEY,
    ),
  ],
  [
    "another organizer's event",
    NOT_FOUND,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      (w) => w.b,
    ),
  ],
  ['unknown event', NOT_FOUND, checkin((w) => ({ eventId: newId('evt'), code: code0(w) }))],
  ['missing code', invalid('code'), checkin((w) => ({ eventId: w.event.id }))],
  ['empty code', invalid('code'), checkin((w) => ({ eventId: w.event.id, code: '' }))],
  ['missing eventId', invalid('eventId'), checkin((w) => ({ code: code0(w) }))],
  [
    'unknown field',
    invalid(),
    checkin((w) => ({ eventId: w.event.id, code: code0(w), force: true })),
  ],
  [
    'malformed JSON',
    MALFORMED,
    (w) => raw('POST', '/api/v1/checkin', '{"code":', 'application/json', w.a),
  ],
];

// --- body limits (docs/API.md "Limits") ---------------------------------------------------------

const MB = 1024 * 1024;
const TOO_LARGE = problem(413, 'payload_too_large');
/** A JSON body of about `bytes`, valid but for its size: an event with a long description. */
const bigEventJson = (bytes: number) => JSON.stringify(ev({ description: 'a'.repeat(bytes) }));
const bigHoldJson = (w: World, bytes: number) =>
  JSON.stringify({
    items: [{ ticketTypeId: typeId(w.event, 'ga'), quantity: 1 }],
    note: ' '.repeat(bytes),
  });
const chunked = (method: string, path: string, bytes: number, type: string, headers: Auth = {}) =>
  req(method, path, { headers, chunked: { bytes, type } });

const bodyLimitRows: Row[] = [
  [
    'organizer API: 10 MB JSON with Content-Length',
    TOO_LARGE,
    (w) => raw('POST', EVENTS, bigEventJson(10 * MB), 'application/json', w.a),
  ],
  [
    'organizer API: 50 MB chunked, no Content-Length',
    TOO_LARGE,
    (w) => chunked('POST', EVENTS, 50 * MB, 'application/json', w.a),
  ],
  [
    'organizer API: just over 1 MB',
    TOO_LARGE,
    (w) => raw('PATCH', `${EVENTS}/${w.event.id}`, bigEventJson(MB), 'application/json', w.a),
  ],
  [
    'holds: 10 MB JSON with Content-Length',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/api/v1/events/${w.event.id}/holds`,
        bigHoldJson(w, 10 * MB),
        'application/json',
      ),
  ],
  [
    'holds: 50 MB chunked, no Content-Length',
    TOO_LARGE,
    (w) => chunked('POST', `/api/v1/events/${w.event.id}/holds`, 50 * MB, 'application/json'),
  ],
  [
    'checkout: 65 KB (storefront limit 64 KB)',
    TOO_LARGE,
    () =>
      raw(
        'POST',
        '/api/v1/checkout',
        JSON.stringify({ holdId: 'h'.repeat(65 * 1024), buyer }),
        'application/json',
        { 'idempotency-key': crypto.randomUUID() },
      ),
  ],
  [
    'webhook: 10 MB, refused before the signature is checked',
    TOO_LARGE,
    () => raw('POST', '/api/v1/webhooks/sandbox', bigEventJson(10 * MB), 'application/json'),
  ],
  [
    'webhook: 50 MB chunked',
    TOO_LARGE,
    () => chunked('POST', '/api/v1/webhooks/sandbox', 50 * MB, 'application/json'),
  ],
  [
    'hosted hold form: 20 KB (page forms limit 16 KB)',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/e/${w.event.slug}/hold`,
        `qty_${typeId(w.event, 'ga')}=1&pad=${'x'.repeat(20 * 1024)}`,
        'application/x-www-form-urlencoded',
      ),
  ],
  [
    'sandbox payment form: 50 MB chunked',
    TOO_LARGE,
    (w) =>
      chunked(
        'POST',
        `/sandbox/pay/${w.pending.paymentId}`,
        50 * MB,
        'application/x-www-form-urlencoded',
      ),
  ],
];

// --- buyer downloads and the confirmation resend (docs/API.md "Tickets and check-in") ----------

const token = (p: Purchase) => `?token=${encodeURIComponent(p.orderToken)}`;
const orderFile =
  (file: string, query: (w: World) => string, orderId = (w: World) => w.paid.orderId) =>
  (w: World) =>
    req('GET', `/orders/${orderId(w)}/${file}${query(w)}`);
const ticketPdf =
  (ticketId: (w: World) => string | undefined, query: (w: World) => string) => (w: World) =>
    req('GET', `/tickets/${ticketId(w)}/ticket.pdf${query(w)}`);
const INVALID_STATE = problem(409, 'invalid_state');

const buyerDocumentRows: Row[] = [
  ...(['tickets.pdf', 'event.ics'] as const).flatMap((file): Row[] => [
    [`${file}: no token`, NOT_FOUND, orderFile(file, () => '')],
    [`${file}: empty token`, NOT_FOUND, orderFile(file, () => '?token=')],
    [`${file}: wrong token`, NOT_FOUND, orderFile(file, () => '?token=nope')],
    [`${file}: a 4 KB token`, NOT_FOUND, orderFile(file, () => `?token=${'a'.repeat(4096)}`)],
    [`${file}: another order's token`, NOT_FOUND, orderFile(file, (w) => token(w.pending))],
    [
      `${file}: unknown order`,
      NOT_FOUND,
      orderFile(
        file,
        (w) => token(w.paid),
        () => newId('ord'),
      ),
    ],
    [
      `${file}: order awaiting payment`,
      INVALID_STATE,
      orderFile(
        file,
        (w) => token(w.pending),
        (w) => w.pending.orderId,
      ),
    ],
  ]),
  ['ticket.pdf: no token', NOT_FOUND, ticketPdf(paidTicket, () => '')],
  ['ticket.pdf: wrong token', NOT_FOUND, ticketPdf(paidTicket, () => '?token=nope')],
  ["ticket.pdf: another order's token", NOT_FOUND, ticketPdf(paidTicket, (w) => token(w.pending))],
  [
    'ticket.pdf: unknown ticket',
    NOT_FOUND,
    ticketPdf(
      () => newId('tkt'),
      (w) => token(w.paid),
    ),
  ],
  [
    'resend form: 20 KB body (page forms limit 16 KB)',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/orders/${w.paid.orderId}/resend-confirmation`,
        `token=${encodeURIComponent(w.paid.orderToken)}&pad=${'x'.repeat(20 * 1024)}`,
        'application/x-www-form-urlencoded',
      ),
  ],
];

/** Changes one whole base64url character inside the signature: never the same code again. */
function flipSignatureChar(code: string): string {
  const i = code.length - 20;
  return `${code.slice(0, i)}${code[i] === 'A' ? 'B' : 'A'}${code.slice(i + 1)}`;
}

describe('not errors, and still nothing written', () => {
  it('an unknown or tampered ticket code is a 200 with result "invalid"', async () => {
    const watch = [world.event.id];
    for (const code of ['not-a-ticket-code', flipSignatureChar(code0(world))]) {
      const before = await settledSnapshot(watch);
      const res = await call<{ result: string }>('POST', '/api/v1/checkin', {
        headers: world.a,
        body: { eventId: world.event.id, code },
      });
      expect(res.status).toBe(200);
      expect(res.body.result).toBe('invalid');
      expect(await settledSnapshot(watch)).toEqual(before);
    }
  });

  it('control: the webhook body verifies with the real secret only', async () => {
    const pending = await purchase(world.event, typeId(world.event, 'ga'), 1, { pay: false });
    const body = succeededWebhook(pending, 3900);
    const provider = new SandboxProvider(createDb(env.DB), env.SANDBOX_WEBHOOK_SECRET, BASE);
    const secret = env.SANDBOX_WEBHOOK_SECRET;
    expect(await provider.verifyWebhook(body, await sign(body, secret))).toMatchObject({
      kind: 'payment_succeeded',
      orderId: pending.orderId,
    });
    expect(await provider.verifyWebhook(body, await sign(body, OTHER_SECRET))).toBeNull();
    expect(await provider.verifyWebhook(body, await sign(body, secret, 600))).toBeNull();
  });

  // Validation accepts it (the final keys are unique); D1's (event_id, key) index must not
  // turn the batch into a 500.
  it('swapping the keys of two ticket types never answers 500', async () => {
    const event = await createPublishedEvent(world.a);
    const before = await settledSnapshot([event.id]);
    const ga = typeId(event, 'ga');
    const vip = typeId(event, 'vip');
    const res = await call<unknown>('PATCH', `${EVENTS}/${event.id}`, {
      headers: world.a,
      body: {
        ticketTypes: [
          { id: ga, key: 'vip' },
          { id: vip, key: 'ga' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    if (res.status >= 400) {
      expect(await settledSnapshot([event.id])).toEqual(before);
    } else {
      const read = await call<CreatedEvent>('GET', `${EVENTS}/${event.id}`, { headers: world.a });
      expect(read.body.ticketTypes.map((t) => [t.id, t.key])).toEqual([
        [ga, 'vip'],
        [vip, 'ga'],
      ]);
    }
  });
});

// --- the operator's reconciliation route ------------------------------------------------------------

const OPERATOR = { OPERATOR_API_KEY: 'op_test_bad_input_0123456789abcdefghijklmnop' };
const operatorAuth = { authorization: `Bearer ${OPERATOR.OPERATOR_API_KEY}` };
const RECONCILIATION = '/api/v1/operator/reconciliation';
const decide = (body: unknown, headers: Auth = operatorAuth): Build =>
  outside(OPERATOR, () => req('POST', `${RECONCILIATION}/rdf_anything`, { body, headers }));

// The operator API switched off (no or a short OPERATOR_API_KEY) is a 503, not bad input:
// test/settlement.test.ts covers it.
const operatorRows: Row[] = [
  ['no key', UNAUTHORIZED, outside(OPERATOR, () => req('GET', RECONCILIATION))],
  [
    'a wrong key',
    UNAUTHORIZED,
    outside(OPERATOR, () =>
      req('GET', RECONCILIATION, { headers: { authorization: `${operatorAuth.authorization}x` } }),
    ),
  ],
  [
    'an organizer key is not the operator',
    UNAUTHORIZED,
    outside(OPERATOR, (w) => req('GET', RECONCILIATION, { headers: w.a })),
  ],
  [
    'an unknown status',
    invalid('status'),
    outside(OPERATOR, () =>
      req('GET', `${RECONCILIATION}?status=maybe`, { headers: operatorAuth }),
    ),
  ],
  [
    'a limit of 0',
    invalid('limit'),
    outside(OPERATOR, () => req('GET', `${RECONCILIATION}?limit=0`, { headers: operatorAuth })),
  ],
  [
    'an unknown query field',
    invalid('cursor'),
    outside(OPERATOR, () => req('GET', `${RECONCILIATION}?cursor=x`, { headers: operatorAuth })),
  ],
  [
    'deciding "fixed" (only ignored or open)',
    invalid('status'),
    decide({ status: 'fixed', note: 'x' }),
  ],
  ['ignoring without a note', invalid('note'), decide({ status: 'ignored', note: '  ' })],
  [
    'a note of 501 characters',
    invalid('note'),
    decide({ status: 'ignored', note: 'x'.repeat(501) }),
  ],
  ['an unknown field', invalid('extra'), decide({ status: 'ignored', note: 'x', extra: 1 })],
  ['an unknown difference', NOT_FOUND, decide({ status: 'ignored', note: 'x' })],
  [
    'a form body',
    problem(415, 'unsupported_media_type'),
    outside(OPERATOR, () =>
      raw(
        'POST',
        `${RECONCILIATION}/rdf_anything`,
        'status=ignored',
        'application/x-www-form-urlencoded',
        operatorAuth,
      ),
    ),
  ],
  [
    'malformed JSON',
    MALFORMED,
    outside(OPERATOR, () =>
      raw('POST', `${RECONCILIATION}/rdf_anything`, '{"status":', 'application/json', operatorAuth),
    ),
  ],
  [
    'without the key, a decision is refused too',
    UNAUTHORIZED,
    decide({ status: 'ignored', note: 'x' }, {}),
  ],
];

badInputTable([
  ['POST /api/v1/webhooks/:provider', webhookRows],
  ['POST /sandbox/pay/:id', sandboxPayRows],
  ['the sandbox outside development, for a live event', sandboxOffRows],
  ['GET /api/v1/tickets/:id/qr.svg', qrRows],
  ['POST /api/v1/checkin', checkinRows],
  ['request bodies above the limit', bodyLimitRows],
  ['buyer downloads (PDF, calendar) and the confirmation resend', buyerDocumentRows],
  ['GET|POST /api/v1/operator/reconciliation', operatorRows],
]);
