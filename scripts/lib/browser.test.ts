import { afterEach, describe, expect, test, vi } from 'vitest';
import { chromiumPath, DEBIAN_CHROMIUM, ensureBrowser, missingBrowserMessage } from './browser.mjs';

afterEach(() => vi.unstubAllEnvs());

describe('the browser of the browser tests', () => {
  test("is Debian's unless CHROMIUM_PATH names another", () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    expect(chromiumPath()).toBe(DEBIAN_CHROMIUM);
    vi.stubEnv('CHROMIUM_PATH', '/opt/chromium/chrome');
    expect(chromiumPath()).toBe('/opt/chromium/chrome');
  });

  test('a missing one is never installed elsewhere: the message names what to do', () => {
    vi.stubEnv('CHROMIUM_PATH', '/nonexistent/chromium');
    expect(missingBrowserMessage()).toMatch(
      /CHROMIUM_PATH=\/nonexistent\/chromium is not an executable/,
    );
    expect(() => ensureBrowser()).toThrow(/CHROMIUM_PATH/);
  });

  test("without CHROMIUM_PATH, a missing one names Debian's package and apt-get", () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    expect(missingBrowserMessage('/nonexistent/chromium')).toContain(
      'apt-get install -y --no-install-recommends chromium',
    );
  });

  test('an executable file is found', () => {
    vi.stubEnv('CHROMIUM_PATH', process.execPath);
    expect(missingBrowserMessage()).toBeUndefined();
    expect(ensureBrowser()).toBe(process.execPath);
  });
});
