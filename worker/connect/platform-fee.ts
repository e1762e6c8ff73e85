/**
 * The platform fee of a destination charge (DESIGN.md "Money flow: Stripe Connect"): a
 * percentage in basis points plus a fixed amount, clamped to a minimum and a maximum, and
 * never more than the charge itself. Pure: amounts are integer minor units of the order's
 * currency (currency.ts), so ¥1,000 and €10.00 are both `1000` at 2.5 % + 30: ¥55 and €0.55.
 */

export interface PlatformFee {
  /** 250 is 2.5 %; 0 to 10,000. */
  percentBps: number;
  /** Added to the percentage, in the order currency's minor units. */
  fixedMinor: number;
  minMinor: number;
  /** Null: no maximum besides the amount itself. */
  maxMinor: number | null;
}

export const MAX_PERCENT_BPS = 10_000;

/**
 * The application fee of a charge of `amountMinor`. The percentage part rounds half up on
 * whole minor units (integer arithmetic, no floats): 2.5 % of 1,990 is 49.75 -> 50.
 */
export function applicationFeeMinor(amountMinor: number, fee: PlatformFee): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`not an amount in minor units: ${amountMinor}`);
  }
  if (amountMinor === 0) return 0;
  const percent = Math.floor((amountMinor * fee.percentBps + 5_000) / 10_000);
  let total = percent + fee.fixedMinor;
  total = Math.max(total, fee.minMinor);
  if (fee.maxMinor !== null) total = Math.min(total, fee.maxMinor);
  return Math.min(Math.max(total, 0), amountMinor);
}

/** Why a fee can not be used (the operator API and the settings check say it), or null. */
export function platformFeeProblem(fee: PlatformFee): string | null {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(fee.percentBps) || fee.percentBps > MAX_PERCENT_BPS) {
    return `percentBps must be a whole number from 0 to ${MAX_PERCENT_BPS}`;
  }
  if (!whole(fee.fixedMinor)) return 'fixedMinor must be a whole number of minor units, 0 or more';
  if (!whole(fee.minMinor)) return 'minMinor must be a whole number of minor units, 0 or more';
  if (fee.maxMinor !== null) {
    if (!whole(fee.maxMinor)) return 'maxMinor must be a whole number of minor units, or null';
    if (fee.maxMinor < fee.minMinor) return 'maxMinor must not be below minMinor';
  }
  return null;
}

/** A setting's text as a whole number of 0 or more; undefined when it is not one. */
function wholeNumber(text: string): number | undefined {
  if (!/^\d{1,12}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export type FeeSettings = Readonly<Record<string, string | undefined>>;

/** The deployment's default fee settings, by name (wrangler.toml `[vars]`). */
export const FEE_SETTING_NAMES = [
  'PLATFORM_FEE_PERCENT_BPS',
  'PLATFORM_FEE_FIXED_MINOR',
  'PLATFORM_FEE_MIN_MINOR',
  'PLATFORM_FEE_MAX_MINOR',
] as const;

/**
 * The default fee from the `PLATFORM_FEE_*` settings: unset ones are 0 (no maximum for
 * `PLATFORM_FEE_MAX_MINOR`). A malformed one makes the whole fee unusable: `{ problems }`
 * names them, and live sales stop until it is fixed (fail closed, never a guessed fee).
 */
export function defaultPlatformFee(
  values: FeeSettings,
): { ok: true; fee: PlatformFee } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const read = (name: (typeof FEE_SETTING_NAMES)[number]): number | null => {
    const text = values[name];
    if (text === undefined || text.trim() === '') return null;
    const n = wholeNumber(text);
    if (n === undefined) problems.push(`${name} (not a whole number: ${JSON.stringify(text)})`);
    return n ?? null;
  };
  const fee: PlatformFee = {
    percentBps: read('PLATFORM_FEE_PERCENT_BPS') ?? 0,
    fixedMinor: read('PLATFORM_FEE_FIXED_MINOR') ?? 0,
    minMinor: read('PLATFORM_FEE_MIN_MINOR') ?? 0,
    maxMinor: read('PLATFORM_FEE_MAX_MINOR'),
  };
  if (problems.length > 0) return { ok: false, problems };
  const problem = platformFeeProblem(fee);
  return problem ? { ok: false, problems: [`PLATFORM_FEE_* (${problem})`] } : { ok: true, fee };
}

/**
 * `STRIPE_REFUND_APPLICATION_FEE`: whether a refund gives the platform fee back too (the
 * default, `true`: a refunded buyer leaves the organizer nothing to pay a fee on) or the
 * platform keeps it (`false`). Anything else is malformed: null.
 */
export function refundApplicationFeeSetting(value: string | undefined): boolean | null {
  if (value === undefined || value.trim() === '') return true;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}
