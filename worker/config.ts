/**
 * Optional settings that are not declared bindings (wrangler.toml lists only required
 * secrets), read in one place so a missing one is an explicit `undefined`.
 */
type OptionalSetting =
  | 'STRIPE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STRIPE_PUBLISHABLE_KEY'
  | 'DEV_API_KEY'
  | 'MAIL_API_KEY'
  | 'MAIL_FROM'
  | 'PUBLIC_ORIGIN'
  | 'SIGNUP_MODE';

export function optionalSetting(env: Env, name: OptionalSetting): string | undefined {
  const value = (env as unknown as Partial<Record<OptionalSetting, unknown>>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function isDevelopment(env: Env): boolean {
  return env.ENVIRONMENT === 'development';
}

export type SignupMode = 'open' | 'invite_only';

/**
 * Who may create a workspace: `open` (anyone who confirms an email) or `invite_only` (people
 * join existing workspaces by invitation only). Unset, development is open and everything
 * else invite-only; an unknown value is invite-only too (fail closed).
 */
export function signupMode(env: Env): SignupMode {
  const value = optionalSetting(env, 'SIGNUP_MODE');
  if (value === undefined) return isDevelopment(env) ? 'open' : 'invite_only';
  return value === 'open' ? 'open' : 'invite_only';
}
