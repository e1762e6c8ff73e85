/**
 * The headless Chromium the browser tests drive: Debian's `chromium` package at
 * /usr/bin/chromium, or the binary CHROMIUM_PATH names. Nothing is ever downloaded from
 * elsewhere (playwright-core is the driver only).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const APT_INSTALL = ['install', '-y', '--no-install-recommends', 'chromium'];

/** The Chromium to launch: CHROMIUM_PATH when set, else Debian's. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
}

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} command */
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * Why the browser is missing and the one thing to do about it; undefined when it is there.
 * @param {string} browser
 */
export function missingBrowserMessage(browser = chromiumPath()) {
  if (isExecutable(browser)) return undefined;
  if (process.env.CHROMIUM_PATH) {
    return `CHROMIUM_PATH=${browser} is not an executable file: point it at a Chromium binary.`;
  }
  return (
    `Chromium is missing (${DEBIAN_CHROMIUM}); the browser tests need it. Install it with:\n` +
    `  sudo apt-get update && sudo apt-get ${APT_INSTALL.join(' ')}\n` +
    '(or set CHROMIUM_PATH to a Chromium binary).'
  );
}

/**
 * Makes sure the browser is there: when Debian's is missing and this runs as root with
 * apt-get, installs the `chromium` package non-interactively; otherwise throws with the
 * command to run.
 */
export function ensureBrowser() {
  const browser = chromiumPath();
  if (isExecutable(browser)) return browser;
  const canInstall = !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && onPath('apt-get');
  if (canInstall) {
    console.log(`[browser] ${DEBIAN_CHROMIUM} is missing: installing Debian's chromium package`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], APT_INSTALL]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (result.status !== 0)
        throw new Error(`apt-get ${args.join(' ')} failed (${result.status})`);
    }
  }
  const problem = missingBrowserMessage(browser);
  if (problem) throw new Error(problem);
  return browser;
}
