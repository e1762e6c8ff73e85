import type { CspDirectives } from '../middleware/security-headers';
import { stripeStandIns } from '.';

/**
 * What a hosted page that pays with Stripe needs: our own small pay bundle (its content-hashed
 * name from the widget build's manifest) and a CSP that lets Stripe.js work, nothing more.
 */

/**
 * Stripe's documented sources for Stripe.js and the Payment Element
 * (https://docs.stripe.com/security/guide#content-security-policy): its script, its frames
 * (the element's iframes, 3-D Secure), and its API. Maps (the Address Element) is left out:
 * we do not use it. Added only on pages that show the payment form.
 */
export const STRIPE_JS_SOURCES = {
  script: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  frame: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
  connect: ['https://api.stripe.com'],
} as const;

/** The directives a paying page adds to the page CSP (`securityHeaders(extra)`). */
export function stripePageCsp(env: Env): CspDirectives {
  // Development only: the browser tests' stand-in for Stripe.js (and its API, and 3-D Secure).
  const standIn = stripeStandIns(env).stripeJsUrl;
  const local = standIn ? [new URL(standIn).origin] : [];
  return {
    scriptSrc: ["'self'", ...STRIPE_JS_SOURCES.script, ...local],
    frameSrc: [...STRIPE_JS_SOURCES.frame, ...local],
    connectSrc: ["'self'", ...STRIPE_JS_SOURCES.connect, ...local],
  };
}

let payScript: Promise<string | null> | null = null;

/**
 * The path of the pay bundle (`/widget/tessera-pay-<hash>.js`), read once per isolate from the
 * build's manifest among the static assets. Null when the build has none: the page then says
 * the form can not be shown, rather than loading a script that is not there.
 */
export function payScriptPath(env: Env): Promise<string | null> {
  payScript ??= env.ASSETS.fetch('https://assets.invalid/widget/manifest.json')
    .then(async (response) => {
      if (!response.ok) return null;
      const manifest: unknown = await response.json();
      const name =
        typeof manifest === 'object' && manifest !== null && 'pay' in manifest
          ? manifest.pay
          : null;
      return typeof name === 'string' && /^tessera-pay-[0-9a-f]+\.js$/.test(name)
        ? `/widget/${name}`
        : null;
    })
    .catch(() => null)
    .then((path) => {
      // A miss is not remembered: the next request looks again.
      if (path === null) payScript = null;
      return path;
    });
  return payScript;
}
