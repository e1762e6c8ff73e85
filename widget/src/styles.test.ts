import { describe, expect, it } from 'vitest';
import { esc } from './html';
import { palette } from './styles';
import { checkoutView, detailsState, eventView, shop } from './test-fixtures';
import { view } from './views';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('default colours', () => {
  it('meet WCAG AA: 4.5:1 for text, 3:1 for borders and focus rings', () => {
    const text: [string, string][] = [
      [palette.text, palette.bg],
      [palette.text, palette.surface],
      [palette.muted, palette.bg],
      [palette.muted, palette.surface],
      [palette.accent, palette.bg],
      [palette.accentText, palette.accent],
      [palette.danger, palette.bg],
      [palette.danger, palette.surface],
      [palette.warn, palette.warnBg],
    ];
    for (const [fg, bg] of text)
      expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    expect(contrast(palette.border, palette.bg)).toBeGreaterThanOrEqual(3);
    expect(contrast(palette.accent, palette.surface)).toBeGreaterThanOrEqual(3);
  });
});

/** The opening tag of the button for `act` (and ticket type `id`); fails when there is none. */
function buttonTag(html: string, act: string, id?: string): string {
  const tags = html.match(/<button[^>]*>/g) ?? [];
  const tag = tags.find(
    (t) => t.includes(`data-act="${act}"`) && (id === undefined || t.includes(`data-id="${id}"`)),
  );
  if (!tag) throw new Error(`no ${act} button${id ? ` for ${id}` : ''} in ${html}`);
  return tag;
}

describe('views', () => {
  it('escape text from the organizer and the buyer', () => {
    const event = eventView({ title: '<img src=x onerror=alert(1)>' });
    const html = view({ name: 'ready', shop: shop({}, event) }, 'en', 0);
    expect(html).not.toContain('<img');
    expect(html).toContain(esc('<img src=x onerror=alert(1)>'));
  });

  it('label the steppers and disable what cannot be added', () => {
    // All 3 VIP left are chosen: no more VIP, GA still possible, and the order can be placed.
    const html = view({ name: 'ready', shop: shop({ tt_vip: 3 }) }, 'en', 0);
    expect(html).toContain('aria-label="Add one General admission"');
    expect(buttonTag(html, 'inc', 'tt_vip')).toContain('aria-disabled="true"');
    expect(buttonTag(html, 'inc', 'tt_ga')).not.toContain('aria-disabled');
    expect(buttonTag(html, 'choose')).not.toContain('aria-disabled');
    expect(html).toMatch(/data-act="choose"[^>]*>Reserve tickets<\/button>/);
    // Nothing chosen: nothing to remove, nothing to reserve.
    const empty = view({ name: 'ready', shop: shop({}) }, 'en', 0);
    expect(buttonTag(empty, 'dec', 'tt_ga')).toContain('aria-disabled="true"');
    expect(buttonTag(empty, 'choose')).toContain('aria-disabled="true"');
  });

  it('show the countdown to the hold expiry and the sandbox pay step', () => {
    const details = view(detailsState(), 'de', Date.parse('2027-01-01T12:00:00Z'));
    expect(details).toContain('<strong data-countdown>10:00</strong>');
    const paying = view(
      {
        name: 'paying',
        shop: shop({ tt_ga: 2 }),
        hold: { holdId: 'h', eventId: 'e', expiresAt: '', items: [] },
        idempotencyKey: 'k',
        order: checkoutView(),
        outcome: null,
      },
      'en',
      0,
    );
    expect(paying).toContain('Pay €78.00');
    expect(paying).toContain('data-outcome="fail"');
  });

  it('mount a Stripe payment through a light-DOM slot', () => {
    const order = checkoutView({
      payment: { provider: 'stripe', paymentId: 'pi', clientSecret: 's' },
    });
    const state = { ...detailsState(), name: 'paying' as const, order, outcome: null };
    expect(view(state, 'en', 0)).toContain('<slot name="payment">');
  });
});
