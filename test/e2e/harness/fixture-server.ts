/**
 * An organizer's website, for the browser tests: serves test/e2e/fixtures/<name>.html from its
 * own origin (another port than Tessera's, so another origin), with `{{placeholders}}` filled
 * in from the query string plus `{{tessera}}`, Tessera's origin. Values are HTML-escaped; a
 * placeholder without a value becomes empty.
 *
 * `?coep=require-corp` also sends `Cross-Origin-Embedder-Policy: require-corp` (and COOP
 * `same-origin`): a cross-origin isolated host page that loads only resources which opt in
 * with `Cross-Origin-Resource-Policy` or CORS.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures');

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`: no trailing slash. */
  origin: string;
  stop(): Promise<void>;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Fills `{{name}}` from `values`; unknown names become empty. */
export function renderFixture(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z][\w-]*)\s*\}\}/g, (_, name: string) =>
    escapeHtml(values[name] ?? ''),
  );
}

/** Starts one fixture site on a free port of 127.0.0.1. */
export async function startFixtureServer(
  tesseraOrigin: string,
  stripeTesseraOrigin = '',
): Promise<FixtureServer> {
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const name = /^\/([a-z0-9][a-z0-9-]*)\.html$/.exec(url.pathname)?.[1];
    if (request.method !== 'GET' || !name) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let template: string;
    try {
      template = await readFile(path.join(FIXTURES_DIR, `${name}.html`), 'utf8');
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture ${name}`);
      return;
    }
    // `?server=stripe`: `{{tessera}}` is the Tessera that pays through the Stripe stand-in.
    const tessera =
      url.searchParams.get('server') === 'stripe' ? stripeTesseraOrigin : tesseraOrigin;
    const values = { ...Object.fromEntries(url.searchParams), tessera };
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    };
    const coep = url.searchParams.get('coep');
    if (coep) {
      headers['cross-origin-embedder-policy'] = coep;
      headers['cross-origin-opener-policy'] = 'same-origin'; // with COEP: cross-origin isolated
    }
    response.writeHead(200, headers).end(renderFixture(template, values));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
