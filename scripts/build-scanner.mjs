/**
 * The door scanner's static files (`/scan`, worker/routes/scan-page.tsx), built with esbuild
 * into the Worker's assets; run by scripts/build-widget.mjs (`npm run build:widget`):
 *
 *   dist/assets/door/scan-<hash>.js       the app (scanner/src, idb and qr-scanner bundled)
 *   dist/assets/door/scan-<hash>.css      its stylesheet
 *   dist/assets/door/qr-worker-<hash>.js  qr-scanner's decoder worker as a file of its own (the
 *                                         package ships it as a Blob URL, which a strict CSP
 *                                         would have to allow)
 *   dist/assets/scan-sw.js                the service worker (at the root: its scope is /scan)
 *   dist/assets/door/manifest.json        the names, read by the Worker to draw /scan
 *
 * and appends their cache rules to dist/assets/_headers.
 */

import { resolveObjectURL } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS_DIR = path.join(ROOT, 'dist', 'assets');
const OUT_DIR = path.join(ASSETS_DIR, 'door');
const SRC = path.join(ROOT, 'scanner', 'src');

/** @param {string} text */
const contentHash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** @param {string} entry @param {Record<string, string>} [define] */
async function bundle(entry, define = {}) {
  const result = await build({
    entryPoints: [path.join(SRC, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    charset: 'utf8',
    define,
    // qr-scanner's own worker loader (a Blob URL) is never used: the app gives it our file.
    external: ['./qr-scanner-worker.min.js'],
    write: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

/** The decoder worker's source, taken out of the Blob qr-scanner would make of it. */
async function qrWorkerSource() {
  const file = path.join(ROOT, 'node_modules', 'qr-scanner', 'qr-scanner-worker.min.js');
  const mod = await import(file);
  /** @type {string | undefined} */
  let url;
  const saved = globalThis.Worker;
  globalThis.Worker = /** @type {typeof Worker} */ (
    /** @type {unknown} */ (
      class {
        /** @param {string} u */
        constructor(u) {
          url = u;
        }
      }
    )
  );
  try {
    mod.createWorker();
  } finally {
    globalThis.Worker = saved;
  }
  const blob = url ? resolveObjectURL(url) : undefined;
  if (!blob) throw new Error('qr-scanner: could not read its worker');
  return blob.text();
}

export async function buildScanner() {
  const app = await bundle('index.ts');
  const css = readFileSync(path.join(SRC, 'scan.css'), 'utf8').replace(/\n+/g, '\n');
  const worker = await qrWorkerSource();
  const names = {
    app: `scan-${contentHash(app)}.js`,
    css: `scan-${contentHash(css)}.css`,
    worker: `qr-worker-${contentHash(worker)}.js`,
  };
  const assets = Object.values(names).map((n) => `/door/${n}`);
  const sw = await bundle('sw.ts', {
    __SCAN_ASSETS__: JSON.stringify(assets),
    __SCAN_CACHE__: JSON.stringify(`tessera-scan-${contentHash(assets.join())}`),
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const current = new Set([...Object.values(names), 'manifest.json']);
  for (const old of readdirSync(OUT_DIR)) if (!current.has(old)) rmSync(path.join(OUT_DIR, old));
  writeFileSync(path.join(OUT_DIR, names.app), app);
  writeFileSync(path.join(OUT_DIR, names.css), css);
  writeFileSync(path.join(OUT_DIR, names.worker), worker);
  writeFileSync(path.join(ASSETS_DIR, 'scan-sw.js'), sw);
  writeFileSync(
    path.join(OUT_DIR, 'manifest.json'),
    `${JSON.stringify({ ...names, sw: '/scan-sw.js' }, null, 2)}\n`,
  );
  // Hashed names never change (the manifest is read by the Worker through ASSETS, not
  // browsers); the service worker must be re-checked on every visit.
  appendFileSync(
    path.join(ASSETS_DIR, '_headers'),
    `\n/door/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Content-Type-Options: nosniff\n\n/scan-sw.js\n  Cache-Control: no-cache\n  X-Content-Type-Options: nosniff\n`,
  );
  const gz = (/** @type {string} */ t) => `${(gzipSync(t).length / 1024).toFixed(1)} KB`;
  console.log(
    `scanner: ${names.app} ${gz(app)} gzipped, ${names.worker} ${gz(worker)}, sw ${gz(sw)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildScanner();
