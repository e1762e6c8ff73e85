import Stripe from 'stripe';
import balanceTransaction from '../fixtures/stripe/balance-transaction-charge.json';
import chargeSucceeded from '../fixtures/stripe/charge-succeeded.json';
import piCreated from '../fixtures/stripe/payment-intent-created.json';
import refundCreated from '../fixtures/stripe/refund-created.json';
import type { StripeFake } from './stripe-fake';

type Refund = typeof refundCreated;
type BalanceTransaction = typeof balanceTransaction;
type PaymentIntent = StripeFake['intents'] extends Map<string, infer P> ? P : never;

export interface LedgerCall {
  path: string;
  query: URLSearchParams;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const randomPart = () => crypto.randomUUID().replaceAll('-', '').slice(0, 22);

/**
 * What reconciliation reads from Stripe, on top of `StripeFake` (which keeps creating and
 * cancelling PaymentIntents): listing PaymentIntents and refunds by `created` window, page by
 * page (`pageSize` per page whatever `limit` asks, `has_more` / `starting_after` as Stripe
 * does, newest first), and a PaymentIntent retrieved or listed with its charge's balance
 * transaction expanded. Shapes from the recorded fixtures in test/fixtures/stripe.
 */
export class StripeLedgerFake {
  readonly refunds: Refund[] = [];
  readonly calls: LedgerCall[] = [];
  readonly #balance = new Map<string, BalanceTransaction>();
  pageSize = 100;

  constructor(readonly stripe: StripeFake) {}

  install(): this {
    const spy = this.stripe.spy;
    const inner = spy?.getMockImplementation();
    if (!spy || !inner) throw new Error('install the StripeFake first');
    spy.mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const answer = (init?.method ?? 'GET') === 'GET' ? this.#route(url) : null;
      if (!answer) return inner(input, init);
      this.calls.push({ path: url.pathname, query: url.searchParams });
      return answer;
    });
    return this;
  }

  /** The buyer paid: the PaymentIntent succeeded now, with a charge and its fees. */
  pay(id: string, fees: { applicationFee?: number } = {}): PaymentIntent {
    const pi = this.stripe.intents.get(id);
    if (!pi) throw new Error(`no PaymentIntent ${id}`);
    const charge = `ch_3T${randomPart()}`;
    const stripeFee = Math.round(pi.amount * 0.015) + 25;
    const applicationFee = fees.applicationFee ?? 0;
    const [stripeDetail, applicationDetail] = balanceTransaction.fee_details;
    const details: BalanceTransaction['fee_details'] = [];
    if (stripeDetail) details.push({ ...stripeDetail, amount: stripeFee });
    if (applicationDetail && applicationFee > 0)
      details.push({ ...applicationDetail, amount: applicationFee });
    this.#balance.set(charge, {
      ...balanceTransaction,
      id: `txn_3T${randomPart()}`,
      amount: pi.amount,
      currency: pi.currency,
      fee: stripeFee + applicationFee,
      fee_details: details,
      net: pi.amount - stripeFee - applicationFee,
      source: charge,
      created: nowSeconds(),
    });
    return this.stripe.set(id, {
      status: 'succeeded',
      amount_received: pi.amount,
      latest_charge: charge as never,
      created: nowSeconds(),
    });
  }

  /** A PaymentIntent someone else made on the account (no order of ours), already paid. */
  foreign(amount = 2500, metadata: Record<string, string> = {}): PaymentIntent {
    const id = `pi_3T${randomPart()}`;
    const pi = {
      ...piCreated,
      id,
      amount,
      amount_received: amount,
      status: 'succeeded',
      created: nowSeconds(),
      metadata,
    } as never as PaymentIntent;
    this.stripe.intents.set(id, pi);
    return pi;
  }

  /** A refund made at Stripe (its dashboard when `metadata` is empty). */
  refund(paymentIntentId: string, amount: number, metadata: Record<string, string> = {}): Refund {
    const refund: Refund = {
      ...refundCreated,
      id: `re_3T${randomPart()}`,
      amount,
      payment_intent: paymentIntentId,
      created: nowSeconds(),
      metadata: metadata as Refund['metadata'],
    };
    this.refunds.push(refund);
    return refund;
  }

  #route(url: URL): Response | null {
    const expand = [...url.searchParams.entries()]
      .filter(([key]) => key.startsWith('expand'))
      .map(([, value]) => value);
    if (url.pathname === '/v1/payment_intents') {
      const intents = [...this.stripe.intents.values()];
      const expandFees = expand.includes('data.latest_charge.balance_transaction');
      return this.#list(url, intents, (pi) => (expandFees ? this.#expanded(pi) : pi));
    }
    if (url.pathname === '/v1/refunds') return this.#list(url, this.refunds, (r) => r);
    const single = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    const pi = single?.[1] ? this.stripe.intents.get(single[1]) : undefined;
    if (pi && expand.includes('latest_charge.balance_transaction')) return json(this.#expanded(pi));
    return null;
  }

  #expanded(pi: PaymentIntent): unknown {
    const chargeId = pi.latest_charge as string | null;
    const bt = chargeId ? this.#balance.get(chargeId) : undefined;
    if (!chargeId || !bt) return pi;
    return {
      ...pi,
      latest_charge: {
        ...chargeSucceeded,
        id: chargeId,
        amount: pi.amount,
        amount_captured: pi.amount,
        currency: pi.currency,
        payment_intent: pi.id,
        balance_transaction: bt,
      },
    };
  }

  #list<T extends { id: string; created: number }>(
    url: URL,
    items: T[],
    shape: (item: T) => unknown,
  ): Response {
    const q = url.searchParams;
    const gte = Number(q.get('created[gte]') ?? 0);
    const lt = Number(q.get('created[lt]') ?? Number.MAX_SAFE_INTEGER);
    const limit = Math.min(Number(q.get('limit') ?? 10), this.pageSize);
    const sorted = items
      .filter((item) => item.created >= gte && item.created < lt)
      .sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
    const after = q.get('starting_after');
    const start = after ? sorted.findIndex((item) => item.id === after) + 1 : 0;
    const data = sorted.slice(start, start + limit).map(shape);
    return json({
      object: 'list',
      data,
      has_more: start + limit < sorted.length,
      url: url.pathname,
    });
  }
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    headers: {
      'content-type': 'application/json',
      'request-id': 'req_TesseraLedgerFake',
      'stripe-version': Stripe.API_VERSION,
    },
  });
}
