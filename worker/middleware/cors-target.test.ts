import { describe, expect, it } from 'vitest';
import { isWellFormedOrigin } from '../http/cors';
import { corsTargetOf } from './cors-target';

describe('corsTargetOf', () => {
  it('finds the event, hold, order, ticket or payment a storefront path names', () => {
    expect(corsTargetOf('/api/v1/events/night-owls')).toEqual({
      kind: 'event',
      idOrSlug: 'night-owls',
    });
    expect(corsTargetOf('/api/v1/events/evt_1/queue/status')).toEqual({
      kind: 'event',
      idOrSlug: 'evt_1',
    });
    expect(corsTargetOf('/api/v1/holds/hold_1')).toEqual({ kind: 'hold', holdId: 'hold_1' });
    expect(corsTargetOf('/api/v1/checkout')).toEqual({ kind: 'checkout' });
    expect(corsTargetOf('/api/v1/orders/ord_1')).toEqual({ kind: 'order', orderId: 'ord_1' });
    expect(corsTargetOf('/api/v1/tickets/tkt_1/qr.svg')).toEqual({
      kind: 'ticket',
      ticketId: 'tkt_1',
    });
    expect(corsTargetOf('/sandbox/pay/pay_1')).toEqual({ kind: 'payment', paymentId: 'pay_1' });
  });

  it('decodes the id, and keeps a malformed escape as it is', () => {
    expect(corsTargetOf('/api/v1/events/caf%C3%A9')).toEqual({ kind: 'event', idOrSlug: 'café' });
    expect(corsTargetOf('/api/v1/events/%E0%A4%A')).toEqual({
      kind: 'event',
      idOrSlug: '%E0%A4%A',
    });
  });

  it('leaves everything else alone: organizer API, webhooks, check-in, pages', () => {
    for (const path of [
      '/api/v1/organizer/events',
      '/api/v1/webhooks/sandbox',
      '/api/v1/checkin',
      '/api/v1/events',
      '/api/v1/tickets/tkt_1',
      '/e/night-owls',
      '/tickets/tkt_1',
      '/widget/v1.js',
    ]) {
      expect(corsTargetOf(path), path).toBeNull();
    }
  });
});

describe('isWellFormedOrigin', () => {
  it('accepts exactly what browsers send as Origin', () => {
    expect(isWellFormedOrigin('https://example.org')).toBe(true);
    expect(isWellFormedOrigin('http://127.0.0.1:8080')).toBe(true);
    for (const origin of [
      'null',
      'https://example.org/',
      'https://example.org/x',
      'ftp://a.b',
      '',
    ]) {
      expect(isWellFormedOrigin(origin), origin).toBe(false);
    }
  });
});
