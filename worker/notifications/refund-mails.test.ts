import { describe, expect, it } from 'vitest';
import { TEST_MODE_NOTICE } from '../payments/availability';
import { eventCanceledMail, refundIssuedMail } from './refund-mails';

const event = {
  title: 'Night Owls Live',
  startsAt: '2027-03-01T19:00:00Z',
  endsAt: null,
  timezone: 'Europe/Berlin',
  venue: { name: 'Club <Mond>' },
};
const refund = {
  orderId: 'ord_1',
  buyerName: 'Ada <b>',
  amountMinor: 50000,
  currency: 'ISK',
  ticketNames: ['General admission (1)'],
  orderRefunded: false,
};
const orderUrl = 'https://tickets.example/orders/ord_1?token=t';

describe('refund mails', () => {
  it('the refund mail says how much, in the currency’s own units, and which tickets stop working', async () => {
    const mail = await refundIssuedMail({ event, refund, orderUrl });
    expect(mail.subject).toBe('Refund for Night Owls Live: ISK 50,000');
    expect(mail.text).toContain('General admission (1)');
    expect(mail.text).toContain('Your other tickets stay valid.');
    expect(mail.html).toContain('Ada &lt;b&gt;');
    expect(mail.html).not.toContain(TEST_MODE_NOTICE);
  });

  it('a test-mode order’s refund and cancellation mails say TEST', async () => {
    for (const render of [refundIssuedMail, eventCanceledMail]) {
      const mail = await render({ event, refund, orderUrl, testPayments: true });
      expect(mail.subject.startsWith('[TEST] ')).toBe(true);
      expect(mail.html).toContain(TEST_MODE_NOTICE);
      expect(mail.text.startsWith(TEST_MODE_NOTICE)).toBe(true);
    }
  });

  it('the cancellation mail says the event is canceled and the refund', async () => {
    const mail = await eventCanceledMail({
      event,
      refund: { ...refund, orderRefunded: true },
      orderUrl,
    });
    expect(mail.subject).toBe('Night Owls Live is canceled: your refund of ISK 50,000');
    expect(mail.text).toContain('has been canceled by the organizer');
  });
});
