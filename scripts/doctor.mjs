/**
 * `npm run doctor`: lists every missing or malformed setting, with the same checks the Worker
 * logs once per isolate (worker/settings/checks.ts, bundled here with esbuild).
 *
 *   npm run doctor                      local: .dev.vars and this shell's environment
 *   npm run doctor -- --env production  wrangler.toml's [env.production] vars, plus any
 *                                       setting exported in this shell
 *
 * Deployed secrets can not be read from here: for an environment it checks the vars it can
 * see and the secrets this shell exports, and says so; `npx wrangler secret list --env <name>`
 * names the secrets that are set. Exits 1 when a setting is in error.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { parseDotenv } from './dev/dev-vars.mjs';
import { ROOT, readWranglerConfig } from './lib/wrangler.mjs';

/** @returns {Promise<typeof import('../worker/settings/checks.ts')>} */
async function loadChecks() {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'worker/settings/checks.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const { values: args } = parseArgs({ options: { env: { type: 'string' } } });
const checks = await loadChecks();
const names = [
  ...checks.REQUIRED_SECRETS,
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_PUBLISHABLE_KEY',
  'PUBLIC_ORIGIN',
  'MAIL_API_KEY',
  'MAIL_FROM',
  'SIGNUP_MODE',
  'DEV_API_KEY',
  'ALLOW_SANDBOX_PAYMENTS',
  ...checks.CONNECT_SETTING_NAMES,
];
/** @param {Record<string, unknown>} source */
const known = (source) =>
  Object.fromEntries(
    names.flatMap((name) => (typeof source[name] === 'string' ? [[name, source[name]]] : [])),
  );

/** @type {Record<string, string | undefined>} */
let values;
let environment;
let secretsVisible = true;
const notes = [];
if (args.env) {
  const config = await readWranglerConfig({ env: args.env });
  const vars = /** @type {Record<string, unknown>} */ (config.vars ?? {});
  values = { ...known(vars), ...known(process.env) };
  environment = String(vars.ENVIRONMENT ?? args.env);
  secretsVisible = false;
  notes.push(
    `Checked wrangler.toml's [env.${args.env}] vars and the settings this shell exports.`,
    'Deployed secrets can not be read from here: absent ones are not reported as missing.',
    `See which secrets are set with: npx wrangler secret list --env ${args.env}`,
  );
} else {
  const devVars = path.join(ROOT, '.dev.vars');
  const local = existsSync(devVars)
    ? Object.fromEntries(parseDotenv(readFileSync(devVars, 'utf8')))
    : {};
  values = { ...known(local), ...known(process.env) };
  // `npm run dev` runs as development; ENVIRONMENT in the shell says otherwise.
  environment = process.env.ENVIRONMENT ?? 'development';
  notes.push(
    existsSync(devVars)
      ? 'Checked .dev.vars and the settings this shell exports.'
      : 'No .dev.vars yet (npm run dev writes it): checked this shell only.',
  );
}

const issues = checks.checkSettings({ environment, values, secretsVisible });
console.log(`Tessera doctor — ENVIRONMENT=${environment}`);
for (const note of notes) console.log(`  ${note}`);
console.log(issues.length === 0 ? '\nAll settings look right.' : '');
for (const issue of issues) {
  console.log(
    `${issue.level === 'error' ? '✗ error' : '! warn '}  ${issue.setting}: ${issue.message}`,
  );
}
process.exitCode = issues.some((i) => i.level === 'error') ? 1 : 0;
