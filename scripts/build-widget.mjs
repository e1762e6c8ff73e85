/**
 * `npm run build:widget`: bundles widget/src with esbuild into the Worker's static assets.
 *
 *   dist/assets/widget/tessera-<hash>.js   the element (minified, ES2020, CSS inlined); its
 *                                          name changes with its content, so it caches forever
 *   dist/assets/widget/v1.js               the stable loader organizers paste; injects the bundle
 *   dist/assets/widget/tessera-pay-<hash>.js  Stripe's Payment Element and its confirmation
 *                                          (widget/src/pay): loaded only when a buyer pays with
 *                                          Stripe, by the widget or the hosted order page
 *   dist/assets/widget/manifest.json       both names and their gzipped sizes
 *   dist/assets/_headers                   their cache, CORS and CORP headers
 *                                          (scripts/widget-asset-headers.mjs)
 *
 * Prints the gzipped sizes and exits 1 when loader + bundle exceed the budget: everything a
 * buyer's browser downloads from Tessera before the ticket list shows. The pay bundle is
 * reported apart (it loads only at payment, Stripe.js itself comes from Stripe).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildScanner } from './build-scanner.mjs';
import { writeWidgetAssetHeaders } from './widget-asset-headers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS_DIR = path.join(ROOT, 'dist', 'assets');
const OUT_DIR = path.join(ASSETS_DIR, 'widget');
export const BUDGET_BYTES = 15 * 1024;

/** @param {string} entry @param {Record<string, string>} [define] @returns {Promise<string>} */
async function bundle(entry, define = {}) {
  const result = await build({
    entryPoints: [path.join(ROOT, 'widget', 'src', entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    charset: 'utf8',
    define,
    write: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

/** @param {string} text */
const gzipBytes = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** @param {string} text */
const contentHash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);

const pay = await bundle('pay/index.ts');
const payName = `tessera-pay-${contentHash(pay)}.js`;
const code = await bundle('index.ts', { __TESSERA_PAY__: JSON.stringify(payName) });
const bundleName = `tessera-${contentHash(code)}.js`;
const loader = await bundle('loader.ts', { __TESSERA_BUNDLE__: JSON.stringify(bundleName) });

mkdirSync(OUT_DIR, { recursive: true });
for (const old of readdirSync(OUT_DIR)) {
  const stale = /^tessera-(pay-)?[0-9a-f]+\.js$/.test(old) && old !== bundleName && old !== payName;
  if (stale) rmSync(path.join(OUT_DIR, old));
}
writeFileSync(path.join(OUT_DIR, bundleName), code);
writeFileSync(path.join(OUT_DIR, payName), pay);
writeFileSync(path.join(OUT_DIR, 'v1.js'), loader);
writeWidgetAssetHeaders(ASSETS_DIR);

const sizes = { loader: gzipBytes(loader), bundle: gzipBytes(code) };
const total = sizes.loader + sizes.bundle;
const paySize = gzipBytes(pay);
const manifest = {
  loader: 'v1.js',
  bundle: bundleName,
  pay: payName,
  gzipBytes: { ...sizes, total, pay: paySize },
  budgetBytes: BUDGET_BYTES,
};
writeFileSync(path.join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

console.log(`widget: v1.js          ${kb(sizes.loader)} gzipped (${loader.length} bytes raw)`);
console.log(`widget: ${bundleName} ${kb(sizes.bundle)} gzipped (${code.length} bytes raw)`);
console.log(`widget: total          ${kb(total)} gzipped of a ${kb(BUDGET_BYTES)} budget`);
console.log(`widget: ${payName} ${kb(paySize)} gzipped, loaded only to pay with Stripe`);
// The door scanner (/scan) is built with the widget: the browser tests and dev need both.
await buildScanner();
if (total > BUDGET_BYTES) {
  console.error(`widget: over budget by ${total - BUDGET_BYTES} bytes gzipped`);
  process.exit(1);
}
