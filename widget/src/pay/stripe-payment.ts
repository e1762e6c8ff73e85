import { loadStripe } from '@stripe/stripe-js/pure';

/**
 * Stripe's Payment Element, mounted into a light-DOM container (Stripe Elements can not live in
 * a shadow root), and its confirmation. Shared by the hosted order page and the widget; built
 * as its own small bundle (`tessera-pay-<hash>.js`) that only buyers who pay load. Stripe.js
 * itself always comes from Stripe (`loadStripe`), except in development, where Tessera may
 * name a local stand-in (`stripeJsUrl`, the browser tests').
 */
export interface PaymentOptions {
  publishableKey: string;
  clientSecret: string;
  /** The order page: Stripe sends the buyer there after a redirect (3-D Secure, a bank). */
  returnUrl: string;
  /** `always` (hosted page: Stripe returns to the order page) or `if_required` (widget). */
  redirect: 'always' | 'if_required';
  stripeJsUrl?: string | undefined;
  locale?: string | undefined;
}

/** What a confirmation came to, when the page is still there to hear it. */
export type PaymentOutcome =
  | { outcome: 'succeeded' | 'processing' | 'requires_action' }
  | { outcome: 'declined'; message: string };

export interface MountedPayment {
  confirm(): Promise<PaymentOutcome>;
  destroy(): void;
}

const loadedScripts = new Map<string, Promise<void>>();

/** Development only: the stand-in sets `window.Stripe`, which `loadStripe` then uses. */
function loadScript(src: string): Promise<void> {
  let loading = loadedScripts.get(src);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.appendChild(script);
    });
    loadedScripts.set(src, loading);
  }
  return loading;
}

export async function mountPayment(
  container: HTMLElement,
  options: PaymentOptions,
): Promise<MountedPayment> {
  if (options.stripeJsUrl) await loadScript(options.stripeJsUrl);
  const stripe = await loadStripe(options.publishableKey, {
    ...(options.locale ? { locale: options.locale as 'auto' } : {}),
  });
  if (!stripe) throw new Error('Stripe.js is not available');
  const elements = stripe.elements({ clientSecret: options.clientSecret });
  const element = elements.create('payment');
  element.mount(container);
  return {
    async confirm(): Promise<PaymentOutcome> {
      const confirmParams = { return_url: options.returnUrl };
      const result =
        options.redirect === 'if_required'
          ? await stripe.confirmPayment({ elements, confirmParams, redirect: 'if_required' })
          : await stripe.confirmPayment({ elements, confirmParams });
      if (result.error) {
        return { outcome: 'declined', message: result.error.message ?? 'The payment failed.' };
      }
      const status = 'paymentIntent' in result ? result.paymentIntent?.status : undefined;
      if (status === 'succeeded' || status === 'processing') return { outcome: status };
      return { outcome: 'requires_action' };
    },
    destroy: () => element.destroy(),
  };
}
