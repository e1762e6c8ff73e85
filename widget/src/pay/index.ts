import { type MountedPayment, mountPayment, type PaymentOptions } from './stripe-payment';

/**
 * The `tessera-pay` bundle's entry. It offers `window.TesseraPay.mount` to the widget, and on
 * the hosted order page it runs the page's payment form by itself: the page has no inline
 * script to allow in its CSP, only `<form data-tessera-pay …>` with the settings as data.
 */
declare global {
  interface Window {
    TesseraPay?: { mount: typeof mountPayment };
  }
}

window.TesseraPay = { mount: mountPayment };

function optionsOf(form: HTMLFormElement): PaymentOptions | null {
  const { publishableKey, clientSecret, returnUrl, stripeJs } = form.dataset;
  if (!publishableKey || !clientSecret || !returnUrl) return null;
  return { publishableKey, clientSecret, returnUrl, redirect: 'always', stripeJsUrl: stripeJs };
}

/** The hosted page's form: mount, then confirm on submit; a decline says why, and may retry. */
async function runPageForm(form: HTMLFormElement): Promise<void> {
  const options = optionsOf(form);
  const slot = form.querySelector<HTMLElement>('[data-payment-element]');
  const message = form.querySelector<HTMLElement>('[data-payment-message]');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (!options || !slot || !message || !button) return;
  const say = (text: string) => {
    message.textContent = text;
    message.hidden = text === '';
  };
  let payment: MountedPayment;
  try {
    payment = await mountPayment(slot, options);
  } catch {
    say('The payment form could not be loaded. Please reload the page.');
    return;
  }
  button.disabled = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    say('');
    const result = await payment.confirm();
    // Success leaves the page (Stripe returns to the order page); only a decline stays here.
    if (result.outcome === 'declined') say(result.message);
    button.disabled = false;
  });
}

const form = document.querySelector<HTMLFormElement>('form[data-tessera-pay]');
if (form) void runPageForm(form);
