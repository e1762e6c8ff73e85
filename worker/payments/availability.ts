import { isDevelopment, optionalSetting } from '../config';
import {
  type ConnectAccountRow,
  connectMissing,
  loadConnectAccount,
  usableAccount,
} from '../connect/accounts';
import { deploymentFee, refundApplicationFee } from '../connect/fees';
import type { Db } from '../db/client';
import {
  checkSettings,
  SETTING_NAMES,
  type SettingIssue,
  stripeSecretKeyMode,
} from '../settings/checks';
import type { ProviderName } from './provider';

/**
 * Who takes an order's payment, decided per order at checkout and recorded on it
 * (`orders.payment_provider`), so each provider's webhook keeps settling its own orders:
 *
 * - a **test-mode** order (its event is in test mode): Stripe when its key is a test key
 *   (`sk_test_`), otherwise the sandbox, in every environment: no real money either way;
 * - a **live** order: Stripe; in development the sandbox stands in while no Stripe key is
 *   set. Outside development, without a usable live Stripe key there is no provider:
 *   checkout answers 503 and publishing a live event 409 `payments_not_configured`.
 *
 * The sandbox lets a buyer mark their own order paid, so outside development it serves only
 * test-mode orders of test-mode events (payments/sandbox-gate.ts).
 */

/** Stripe's keys as set, and whether they can take payments at all. */
export function stripeSettings(env: Env) {
  const secretKey = optionalSetting(env, 'STRIPE_SECRET_KEY');
  const webhookSecret = optionalSetting(env, 'STRIPE_WEBHOOK_SECRET');
  const publishableKey = optionalSetting(env, 'STRIPE_PUBLISHABLE_KEY');
  const mode = secretKey === undefined ? null : stripeSecretKeyMode(secretKey);
  // A key without its webhook secret could charge buyers but never confirm an order; one
  // without the publishable key could create payments no browser can pay.
  const usable = mode !== null && webhookSecret !== undefined && publishableKey !== undefined;
  return { secretKey, webhookSecret, publishableKey, mode, usable };
}

/**
 * What this deployment lacks to sell live tickets, each entry naming the setting (empty: it
 * can). Development needs nothing (the sandbox stands in). This is the one place live sales
 * are allowed. Given a workspace's Connect account (`null`: it has none), its state joins the
 * list: live money goes to the organizer's account, so it must be able to take charges.
 */
export function liveSalesMissing(env: Env, connect?: ConnectAccountRow | null): string[] {
  if (isDevelopment(env)) return [];
  const stripe = stripeSettings(env);
  const missing: string[] = [];
  if (stripe.secretKey === undefined) missing.push('STRIPE_SECRET_KEY');
  else if (stripe.mode === null) missing.push('STRIPE_SECRET_KEY (malformed: sk_live_…)');
  else if (stripe.mode === 'test') missing.push('STRIPE_SECRET_KEY (a test key: sk_live_…)');
  if (stripe.webhookSecret === undefined) missing.push('STRIPE_WEBHOOK_SECRET');
  if (stripe.publishableKey === undefined) missing.push('STRIPE_PUBLISHABLE_KEY');
  const fee = deploymentFee(env);
  if (!fee.ok) missing.push(...fee.problems);
  if (refundApplicationFee(env) === null) {
    missing.push('STRIPE_REFUND_APPLICATION_FEE (malformed: true or false)');
  }
  if (connect !== undefined) missing.push(...connectMissing(usableAccount(connect, stripe.mode)));
  return missing;
}

/** `liveSalesMissing` for one workspace: the deployment's settings and its Connect account. */
export async function liveSalesMissingFor(
  env: Env,
  db: Db,
  organizerId: string,
): Promise<string[]> {
  if (isDevelopment(env)) return [];
  return liveSalesMissing(env, (await loadConnectAccount(db, organizerId)) ?? null);
}

/** The provider for a new order of an event in (or not in) test mode; null: none here. */
export function providerForOrder(env: Env, testMode: boolean): ProviderName | null {
  const stripe = stripeSettings(env);
  if (testMode) return stripe.usable && stripe.mode === 'test' ? 'stripe' : 'sandbox';
  if (isDevelopment(env)) return stripe.usable ? 'stripe' : 'sandbox';
  return liveSalesMissing(env).length === 0 ? 'stripe' : null;
}

/** The words every page and buyer email of a test-mode order or event shows. */
export const TEST_MODE_NOTICE = 'TEST — no real money; these tickets are not valid at the door';

/** The settings of this Worker, as the pure checks (settings/checks.ts) read them. */
export function settingsOf(env: Env): Record<string, string | undefined> {
  const record = env as unknown as Record<string, unknown>;
  return Object.fromEntries(
    SETTING_NAMES.map((name) => [
      name,
      typeof record[name] === 'string' ? record[name] : undefined,
    ]),
  );
}

export interface SettingsReport {
  level: 'warn' | 'error';
  line: {
    level: 'warn' | 'error';
    message: string;
    environment: string;
    /** The settings with an issue, by name. */
    missing: string[];
    issues: SettingIssue[];
  };
}

/** What the log should say about this deployment's settings, or null when all is well. */
export function settingsReport(env: Env): SettingsReport | null {
  const environment: string = env.ENVIRONMENT;
  const issues = checkSettings({ environment, values: settingsOf(env) });
  if (issues.length === 0) return null;
  const level = issues.some((i) => i.level === 'error') ? 'error' : 'warn';
  const live = liveSalesMissing(env);
  return {
    level,
    line: {
      level,
      message:
        live.length > 0
          ? `live sales are off (only test-mode events can sell): missing ${live.join(', ')}`
          : 'settings missing or malformed (npm run doctor explains each)',
      environment,
      missing: [...new Set(issues.map((i) => i.setting))],
      issues,
    },
  };
}

/** A deployment's env is one object per isolate: after the first look, nothing to compute. */
const checked = new WeakSet<Env>();
const reported = new Set<string>();

/**
 * Logs `settingsReport` once per isolate (per distinct report, so a test that swaps the
 * environment still sees its own). Called on the first request, queue batch and cron run.
 */
export function reportSettingsOnce(env: Env): void {
  if (checked.has(env)) return;
  checked.add(env);
  const report = settingsReport(env);
  if (!report) return;
  const text = JSON.stringify(report.line);
  if (reported.has(text)) return;
  reported.add(text);
  if (report.level === 'error') console.error(text);
  else console.warn(text);
}
