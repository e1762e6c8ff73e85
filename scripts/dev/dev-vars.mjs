/**
 * `.dev.vars`, the local secrets `wrangler dev` reads: the missing ones are generated (values
 * already there are kept), and the optional ones are handed to wrangler as `--var`.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { localSecret } from '../lib/secrets.mjs';
import { ROOT } from '../lib/wrangler.mjs';

const DEV_VARS = path.join(ROOT, '.dev.vars');
export const DEFAULT_DEV_API_KEY = 'tsk_dev_demo';

/** The same line grammar as dotenv 16, which wrangler uses to read .dev.vars. */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** @param {string} text @returns {Map<string, string>} */
export function parseDotenv(text) {
  const vars = new Map();
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(DOTENV_LINE)) {
    const raw = (match[2] ?? '').trim();
    let value = raw.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (raw.startsWith('"')) value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    vars.set(match[1] ?? '', value);
  }
  return vars;
}

/**
 * A variable's line value: single quotes keep a JSON value (the signing JWK) literal for
 * dotenv; hex and `whsec_` values need none.
 * @param {string} name
 */
function generatedValue(name) {
  if (name === 'DEV_API_KEY') return DEFAULT_DEV_API_KEY;
  const value = localSecret(name);
  return /["'`#\s]/.test(value) ? `'${value}'` : value;
}

const DEV_VARS_HEADER = `# Local secrets for \`wrangler dev\`, written by \`npm run dev\`. Git-ignored: never commit.
# Existing values are kept; delete a line to have it generated again.
# Optional: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET (test mode) to use Stripe instead of the sandbox.
`;

/**
 * Adds the missing variables (the required secrets and DEV_API_KEY) to .dev.vars; returns all
 * of them, parsed, and the names it added.
 * @param {string[]} required
 */
export function ensureDevVars(required) {
  const existing = existsSync(DEV_VARS) ? readFileSync(DEV_VARS, 'utf8') : null;
  const present = parseDotenv(existing ?? '');
  const wanted = [...new Set([...required, 'DEV_API_KEY'])];
  const added = wanted.filter((name) => !present.has(name));
  if (added.length > 0) {
    const lines = added.map((name) => `${name}=${generatedValue(name)}\n`).join('');
    if (existing === null) {
      writeFileSync(DEV_VARS, DEV_VARS_HEADER + lines, { mode: 0o600 });
    } else {
      appendFileSync(DEV_VARS, (existing.endsWith('\n') || existing === '' ? '' : '\n') + lines);
    }
  }
  return { vars: parseDotenv(readFileSync(DEV_VARS, 'utf8')), added };
}

/**
 * Because wrangler.toml has a `[secrets]` section, wrangler dev binds only the required
 * secrets from .dev.vars. The optional ones (DEV_API_KEY, STRIPE_*) are passed as
 * `--var NAME:value` (wrangler shows them as hidden) so the Worker sees them too.
 * @param {Map<string, string>} vars
 * @param {string[]} required
 */
export function optionalVarArgs(vars, required) {
  return [...vars]
    .filter(([name]) => !required.includes(name))
    .flatMap(([name, value]) => ['--var', `${name}:${value}`]);
}
