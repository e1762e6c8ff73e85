/**
 * The widget's static assets (dist/assets, built by `npm run build:widget` before the tests)
 * with the headers of dist/assets/_headers.
 *
 * In this pool `SELF` is the Worker itself, without the asset router in front that Cloudflare
 * (and wrangler dev) run; `env.ASSETS` is the same asset service that answers those requests,
 * `_headers` included, so the files are fetched through it. The browser tests (test/e2e) load
 * them through the whole router.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

const BASE = 'https://tessera.test';
const HOST_PAGE = 'https://club-nachtfalter.example';

interface WidgetManifest {
  loader: string;
  bundle: string;
}

let manifest: WidgetManifest;

function asset(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return env.ASSETS.fetch(`${BASE}${path}`, { headers: { origin: HOST_PAGE, ...headers } });
}

beforeAll(async () => {
  const res = await asset('/widget/manifest.json');
  expect(res.status, 'dist/assets/widget/manifest.json: run `npm run build:widget`').toBe(200);
  manifest = await res.json();
  expect(manifest.loader).toBe('v1.js');
  expect(manifest.bundle).toMatch(/^tessera-[0-9a-f]{8,}\.js$/);
});

function expectEmbeddable(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('the widget files', () => {
  it('the loader: stable URL, cached for five minutes, loadable from any page', async () => {
    const res = await asset('/widget/v1.js');
    expectEmbeddable(res);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    // The loader names the bundle of this build, so a new release reaches pages in minutes.
    expect(await res.text()).toContain(manifest.bundle);
  });

  it('the bundle: named by its content, cached for a year, never revalidated', async () => {
    const res = await asset(`/widget/${manifest.bundle}`);
    expectEmbeddable(res);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('answers a revalidation of the loader with 304 (ETag)', async () => {
    const first = await asset('/widget/v1.js');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await asset('/widget/v1.js', { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
  });

  it('does not serve the _headers file itself, nor unknown widget files', async () => {
    expect((await asset('/_headers')).status).toBe(404);
    expect((await asset('/widget/tessera-0000000000.js')).status).toBe(404);
  });
});
