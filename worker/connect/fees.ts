import { eq } from 'drizzle-orm';
import { optionalSetting } from '../config';
import type { Db } from '../db/client';
import { platformFees } from '../db/schema';
import {
  defaultPlatformFee,
  FEE_SETTING_NAMES,
  type PlatformFee,
  refundApplicationFeeSetting,
} from './platform-fee';

/** The `PLATFORM_FEE_*` settings of this deployment, as `defaultPlatformFee` reads them. */
export function feeSettingsOf(env: Env): Record<string, string | undefined> {
  return Object.fromEntries(FEE_SETTING_NAMES.map((name) => [name, optionalSetting(env, name)]));
}

/** The deployment's default fee, or the malformed settings that make it unusable. */
export const deploymentFee = (env: Env) => defaultPlatformFee(feeSettingsOf(env));

/** `STRIPE_REFUND_APPLICATION_FEE` (default true); null when malformed. */
export const refundApplicationFee = (env: Env): boolean | null =>
  refundApplicationFeeSetting(optionalSetting(env, 'STRIPE_REFUND_APPLICATION_FEE'));

export type FeeSource = 'workspace' | 'default';

export function loadWorkspaceFee(db: Db, organizerId: string) {
  return db.select().from(platformFees).where(eq(platformFees.organizerId, organizerId)).get();
}

/** A stored override as the fee it sets. */
export function feeOfRow(row: typeof platformFees.$inferSelect): PlatformFee {
  return {
    percentBps: row.percentBps,
    fixedMinor: row.fixedMinor,
    minMinor: row.minMinor,
    maxMinor: row.maxMinor,
  };
}

/**
 * The fee a workspace pays: the operator's override for it, else the deployment's default.
 * Null when neither is usable (a malformed default and no override): live sales stop.
 */
export function effectiveFee(
  env: Env,
  override: typeof platformFees.$inferSelect | undefined,
): { fee: PlatformFee; source: FeeSource } | null {
  if (override) return { fee: feeOfRow(override), source: 'workspace' };
  const fallback = deploymentFee(env);
  return fallback.ok ? { fee: fallback.fee, source: 'default' } : null;
}
