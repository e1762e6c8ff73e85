import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { type ScanAssets, ScanShell } from '../views/scan-page';

/**
 * `GET /scan`: the door scanner's page. The Worker draws the shell; the app is the built
 * script (scripts/build-scanner.mjs), found by its content-hashed name in the build's
 * manifest. No inline script or style: the CSP allows this origin's files only, workers from
 * this origin (qr-scanner's decoder, the service worker) and the camera for this page.
 */
export const scanPageRoutes = new Hono<AppEnv>();

const NAME = /^(scan|qr-worker)-[0-9a-f]+\.(js|css)$/;
let assets: Promise<ScanAssets | null> | null = null;

/** Read once per isolate; a miss is not remembered, so the next request looks again. */
function scanAssets(env: Env): Promise<ScanAssets | null> {
  assets ??= env.ASSETS.fetch('https://assets.invalid/door/manifest.json')
    .then(async (response) => (response.ok ? parseManifest(await response.json()) : null))
    .catch(() => null)
    .then((found) => {
      if (found === null) assets = null;
      return found;
    });
  return assets;
}

function parseManifest(value: unknown): ScanAssets | null {
  if (typeof value !== 'object' || value === null) return null;
  const { app, css, worker } = value as Record<string, unknown>;
  const ok = [app, css, worker].every((n) => typeof n === 'string' && NAME.test(n));
  return ok
    ? { app: `/door/${app}`, css: `/door/${css}`, worker: `/door/${worker}`, sw: '/scan-sw.js' }
    : null;
}

export const SCAN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

scanPageRoutes.get('/scan', async (c) => {
  const files = await scanAssets(c.env);
  c.header('content-security-policy', SCAN_CSP);
  c.header('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
  c.header('referrer-policy', 'no-referrer');
  // The service worker keeps a copy for offline use; the network one is always asked first.
  c.header('cache-control', 'no-cache');
  return c.html(<ScanShell files={files} />, files ? 200 : 503);
});
