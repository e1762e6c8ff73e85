/**
 * `/scan`, the door scanner's page: the shell the Worker draws and the static files it names
 * (dist/assets, built by `npm run build:widget` before the tests; fetched through env.ASSETS,
 * as in widget-assets.test.ts). The app itself is tested in Chromium (test/e2e/door-scanner).
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const BASE = 'https://tessera.test';

describe('GET /scan', () => {
  it('is a shell with no inline code, a strict CSP, the camera allowed here only', async () => {
    const res = await SELF.fetch(`${BASE}/scan`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|sha256-/);
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/src="\/door\/scan-[0-9a-f]+\.js"/);
    expect(html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/);
    expect(html).toContain('<label for="code">Ticket code</label>');
  });

  it('names files that exist, cached for good, and a service worker re-checked every time', async () => {
    const html = await (await SELF.fetch(`${BASE}/scan`)).text();
    const files = [...html.matchAll(/(?:src|href|data-qr-worker)="(\/door\/[^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(files).toHaveLength(3);
    for (const file of files) {
      const res = await env.ASSETS.fetch(`${BASE}${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const sw = await env.ASSETS.fetch(`${BASE}/scan-sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const source = await sw.text();
    for (const file of files) expect(source).toContain(file);
    // The decoder runs as a file of ours, not a Blob URL the CSP would have to allow.
    const worker = files.find((f) => f.includes('qr-worker-')) ?? '';
    expect(await (await env.ASSETS.fetch(`${BASE}${worker}`)).text()).not.toContain(
      'createObjectURL',
    );
  });
});
