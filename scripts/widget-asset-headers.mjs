/**
 * The `_headers` file of the Worker's static assets (dist/assets/_headers). Cloudflare applies
 * it to asset responses, which never run the Worker; wrangler dev, Miniflare and the vitest
 * pool apply it the same way. scripts/build-widget.mjs writes it next to the bundle.
 *
 * - every file under /widget/ may be loaded by any page (CORS `*`) and embedded by pages that
 *   send COEP (`Cross-Origin-Resource-Policy: cross-origin`);
 * - the loader URL is stable, so it is cached briefly: a new release reaches pages in minutes;
 * - the bundle's name carries its content hash, so it is cached for a year and never revalidated.
 *
 * Each header is set by one rule only: Cloudflare joins the values of a header that several
 * matching rules set.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOADER_CACHE_CONTROL = 'public, max-age=300';
export const BUNDLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export const WIDGET_ASSET_HEADERS = `/widget/*
  Access-Control-Allow-Origin: *
  Cross-Origin-Resource-Policy: cross-origin
  X-Content-Type-Options: nosniff

/widget/v1.js
  Cache-Control: ${LOADER_CACHE_CONTROL}

/widget/tessera-*
  Cache-Control: ${BUNDLE_CACHE_CONTROL}
`;

/**
 * Writes `_headers` into the assets directory (the `[assets] directory` of wrangler.toml).
 * @param {string} assetsDir e.g. `dist/assets`
 * @returns {string} the file written
 */
export function writeWidgetAssetHeaders(assetsDir) {
  const file = path.join(assetsDir, '_headers');
  writeFileSync(file, WIDGET_ASSET_HEADERS);
  return file;
}
