/**
 * Optional settings that are not declared bindings (wrangler.toml lists only required
 * secrets), read in one place so a missing one is an explicit `undefined`.
 */
type OptionalSetting =
  | 'STRIPE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STRIPE_PUBLISHABLE_KEY'
  | 'STRIPE_JS_URL'
  | 'STRIPE_API_URL'
  | 'DEV_API_KEY'
  | 'MAIL_API_KEY'
  | 'MAIL_FROM'
  | 'PUBLIC_ORIGIN'
  | 'SIGNUP_MODE'
  | 'OPERATOR_API_KEY';

export function optionalSetting(env: Env, name: OptionalSetting): string | undefined {
  const value = (env as unknown as Partial<Record<OptionalSetting, unknown>>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Local development (`npm run dev`), the tests, the browser-test harness and the bench. They
 * pass `ENVIRONMENT=development` at run time; wrangler.toml names only the deployed values (its
 * top level is "production", so a bare `wrangler deploy` is never development), which is why
 * the generated type does not list it.
 */
export function isDevelopment(env: Env): boolean {
  const environment: string = env.ENVIRONMENT;
  return environment === 'development';
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
