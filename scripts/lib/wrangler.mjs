/**
 * Wrangler as the scripts and the test harnesses use it: the project's paths, wrangler.toml
 * read by wrangler itself (no TOML parser of our own), and one-shot CLI commands.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WRANGLER_TOML = path.join(ROOT, 'wrangler.toml');
/** wrangler's CLI entry, run with this Node (no npx, no shell). */
export const WRANGLER_BIN = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/** @typedef {import('wrangler').Unstable_Config} WranglerConfig */

/**
 * wrangler.toml as wrangler reads it: the top level, or one `[env.<name>]`. Imported lazily:
 * loading wrangler takes a second or two.
 * @param {{ configPath?: string, env?: string }} [options]
 * @returns {Promise<WranglerConfig>}
 */
export async function readWranglerConfig({ configPath = WRANGLER_TOML, env } = {}) {
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
}

/**
 * The secrets `[secrets] required` lists: every place that runs the Worker locally generates
 * all of them, so a secret added there needs no change in the scripts or tests.
 * @param {WranglerConfig} config
 * @returns {string[]}
 */
export function requiredSecretNames(config) {
  return config.secrets?.required ?? [];
}

/**
 * The D1 database bound as DB: the id a local database file is named after, and its
 * migrations folder.
 * @param {WranglerConfig} config
 * @returns {{ databaseId: string, migrationsDir: string }}
 */
export function mainDatabase(config) {
  const d1 = config.d1_databases.find((database) => database.binding === 'DB');
  const databaseId = d1?.preview_database_id ?? d1?.database_id;
  if (!databaseId) throw new Error('wrangler.toml: no D1 database bound as DB');
  return { databaseId, migrationsDir: path.resolve(ROOT, d1?.migrations_dir ?? 'migrations') };
}

/**
 * Runs a one-shot wrangler command and resolves with its exit code and, when `quiet`, its
 * output. `CI=true` and no stdin make it take the default answer instead of prompting
 * (`d1 migrations apply` asks "continue?" on a terminal).
 * @param {string[]} args
 * @param {{ quiet?: boolean, env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
export function runWrangler(args, { quiet = false, env = {}, timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}
