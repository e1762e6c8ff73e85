/**
 * Process lifetime of `npm run bench`: whatever happens (an error, a signal, the watchdog),
 * the load stops, workerd is stopped and the temp dir removed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from './format.mjs';
import { keepAliveAgent } from './http.mjs';
import { findChildPids } from './workerd.mjs';

const TMP_PREFIX = 'tessera-bench-';

/** What is running and must be stopped; the phases register here. */
export const lifetime = {
  /** @type {import('miniflare').Miniflare | undefined} */
  mf: undefined,
  /** @type {number[]} */
  workerdPids: [],
  /** @type {string | undefined} */
  tmpRoot: undefined,
  /** @type {Set<import('./load.mjs').AutocannonInstance>} */
  loads: new Set(),
  stopBuyers: () => {},
  /** @type {Promise<void> | undefined} */
  cleaning: undefined,
};

/** SIGKILLs the workerd this run started if it still runs (checked: still our child). */
function killLeftoverWorkerd() {
  for (const pid of findChildPids('workerd')) {
    if (!lifetime.workerdPids.includes(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function cleanup() {
  lifetime.cleaning ??= (async () => {
    lifetime.stopBuyers();
    for (const load of lifetime.loads) load.stop();
    keepAliveAgent.destroy();
    const mf = lifetime.mf;
    lifetime.mf = undefined;
    if (mf) await Promise.race([mf.dispose().catch(() => {}), sleep(10_000)]);
    killLeftoverWorkerd(); // only if dispose() did not stop it
    if (lifetime.tmpRoot) rmSync(lifetime.tmpRoot, { recursive: true, force: true });
  })();
  return lifetime.cleaning;
}

/**
 * Cleans up on exit and on signals, and after `watchdogMs` stops a run that hangs.
 * @param {number} watchdogMs
 */
export function guardProcess(watchdogMs) {
  // wrangler and Miniflare install signal handlers of their own that exit at once, so the last
  // step is also taken synchronously at exit, whoever calls process.exit().
  process.on('exit', () => {
    killLeftoverWorkerd();
    if (lifetime.tmpRoot) rmSync(lifetime.tmpRoot, { recursive: true, force: true });
  });

  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      console.error(`\n[bench] ${signal}: stopping workerd`);
      cleanup().finally(() => process.exit(130));
    });
  }

  const watchdog = setTimeout(() => {
    console.error(`[bench] watchdog: still running after ${watchdogMs / 1000}s; stopping`);
    cleanup().finally(() => process.exit(2));
  }, watchdogMs);
  watchdog.unref();
}

/** Temp dirs of earlier runs that were killed outright (their owner pid is gone). */
function removeStaleTempDirs() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      process.kill(owner, 0); // still running: leave it alone
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code === 'ESRCH') {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/** This run's temp dir (the bundle, the state), marked with our pid; stale ones go first. */
export function makeTempRoot() {
  removeStaleTempDirs();
  const tmpRoot = mkdtempSync(path.join(tmpdir(), TMP_PREFIX));
  lifetime.tmpRoot = tmpRoot;
  writeFileSync(path.join(tmpRoot, 'owner.pid'), String(process.pid));
  return tmpRoot;
}
