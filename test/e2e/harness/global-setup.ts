/**
 * Vitest global setup of the browser tests (vitest.e2e.config.ts): builds the widget, starts
 * Tessera and two organizer sites on other origins, and hands their addresses to the tests
 * (`inject('e2e')`, read through ./index.ts). Everything stops when the run ends.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { missingBrowserMessage } from '../../../scripts/lib/browser.mjs';
import { type FixtureServer, startFixtureServer } from './fixture-server';
import { type StripeStandIn, startStripeStandIn } from './stripe-stand-in';
import { ROOT, startTessera, type TesseraServer } from './tessera-server';

/** What the tests receive. */
export interface E2eContext {
  tesseraOrigin: string;
  apiKey: string;
  /** The API key of a second organizer on the same Tessera. */
  secondApiKey: string;
  /** The organizer site that events created with `createEvent` allow (CORS). */
  allowedSiteOrigin: string;
  /** An organizer site that no event allows. */
  blockedSiteOrigin: string;
  /**
   * A second Tessera that takes payments through Stripe, whose API and Stripe.js are the
   * local stand-in (harness/stripe-stand-in.ts): same organizer sites, its own database.
   */
  stripe: { tesseraOrigin: string; apiKey: string; standInOrigin: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}

/**
 * The Worker serves the widget from dist/assets, so build it first: the tests always see the
 * current widget source. `TESSERA_E2E_SKIP_BUILD=1` keeps an existing build.
 */
function buildWidget(): void {
  const script = path.join(ROOT, 'scripts', 'build-widget.mjs');
  if (process.env.TESSERA_E2E_SKIP_BUILD === '1' || !existsSync(script)) return;
  const result = spawnSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/build-widget.mjs failed (${result.status})`);
}

export default async function setup(project: TestProject) {
  // `npm run test:e2e` installs it when it can (scripts/ensure-browser.mjs); a bare
  // `vitest run` stops here with the command to run.
  const noBrowser = missingBrowserMessage();
  if (noBrowser) throw new Error(noBrowser);
  buildWidget();
  if (!existsSync(path.join(ROOT, 'dist', 'assets', 'widget', 'v1.js'))) {
    throw new Error('dist/assets/widget/v1.js is missing: run `npm run build:widget` first.');
  }
  const started: (TesseraServer | FixtureServer | StripeStandIn)[] = [];
  const stopAll = () => Promise.allSettled(started.map((server) => server.stop()));
  try {
    const logLevel = process.env.TESSERA_E2E_LOG === '1' ? 'log' : 'error';
    const tessera = await startTessera({ logLevel });
    started.push(tessera);
    const webhookSecret = `whsec_e2e_${randomBytes(16).toString('hex')}`;
    const standIn = await startStripeStandIn(webhookSecret);
    started.push(standIn);
    const stripeTessera = await startTessera({
      logLevel,
      bindings: {
        STRIPE_SECRET_KEY: `sk_test_e2e${randomBytes(12).toString('hex')}`,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_PUBLISHABLE_KEY: 'pk_test_e2etessera',
        // Development-only settings: Stripe's API and Stripe.js are the stand-in.
        STRIPE_API_URL: standIn.origin,
        STRIPE_JS_URL: `${standIn.origin}/stripe.js`,
      },
    });
    started.push(stripeTessera);
    standIn.setWebhookTarget(`${stripeTessera.origin}/api/v1/webhooks/stripe`);
    const allowedSite = await startFixtureServer(tessera.origin, stripeTessera.origin);
    started.push(allowedSite);
    const blockedSite = await startFixtureServer(tessera.origin, stripeTessera.origin);
    started.push(blockedSite);
    project.provide('e2e', {
      tesseraOrigin: tessera.origin,
      apiKey: tessera.apiKey,
      secondApiKey: tessera.secondApiKey,
      allowedSiteOrigin: allowedSite.origin,
      blockedSiteOrigin: blockedSite.origin,
      stripe: {
        tesseraOrigin: stripeTessera.origin,
        apiKey: stripeTessera.apiKey,
        standInOrigin: standIn.origin,
      },
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  return async () => {
    await stopAll();
  };
}
