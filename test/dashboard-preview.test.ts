import { describe, expect, it } from 'vitest';
import { BASE, call, createPublishedEvent, eventBody } from './support/api';
import { dashboardWorld, memberSession, page, signUpWithWorkspace } from './support/dashboard';

/**
 * Previews of an event as buyers see it (hosted page, widget) and "Sell on your site": the
 * snippet's copy button and the live widget framed by the event's page, all under the
 * dashboard's CSP (no inline script or style but the hosted page's hashed stylesheet).
 */

const world = dashboardWorld('Preview People');

async function draftEvent(): Promise<{ id: string; slug: string }> {
  const created = await call<{ id: string; slug: string }>('POST', '/api/v1/organizer/events', {
    body: eventBody(),
    headers: world.auth,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const directive = (csp: string | null, name: string) =>
  (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe('previewing an event', () => {
  it('a draft’s hosted page, with a banner and a form that can not hold', async () => {
    const draft = await draftEvent();
    const preview = await page(`/dashboard/events/${draft.id}/preview`, world.ws.cookie);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Preview — not on sale.');
    expect(preview.text).toContain('Night Owls Live');
    // The tickets as buyers will choose them, but no form that posts a hold.
    expect(preview.text).toContain('General admission');
    expect(preview.text).toMatch(/<select id="qty_tt_/);
    expect(preview.text).not.toContain(`action="/e/${draft.slug}/hold"`);
    expect(preview.text).toMatch(/<button class="btn" type="submit" disabled/);
    // The hosted page's inline stylesheet is allowed by its hash, nothing else is inline.
    const csp = preview.headers.get('content-security-policy');
    expect(directive(csp, 'style-src')).toMatch(/^style-src 'self' 'sha256-[A-Za-z0-9+/=]+'$/);
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The draft still does not exist for buyers.
    expect((await page(`/e/${draft.slug}`)).status).toBe(404);
  });

  it('the widget preview of a draft says it needs publishing, and loads no widget', async () => {
    const draft = await draftEvent();
    const widget = await page(`/dashboard/events/${draft.id}/preview/widget`, world.ws.cookie);
    expect(widget.status).toBe(200);
    expect(widget.text).toContain('The widget shows an event once it is published');
    expect(widget.text).not.toContain('/widget/v1.js');
    const summary = await page(`/dashboard/events/${draft.id}`, world.ws.cookie);
    expect(summary.text).toContain(`href="/dashboard/events/${draft.id}/preview"`);
    expect(summary.text).not.toContain('<iframe');
  });

  it('a published event’s page frames the live widget, which only the dashboard may frame', async () => {
    const event = await createPublishedEvent(world.auth, {
      allowedOrigins: ['https://owls.example'],
    });
    const summary = await page(`/dashboard/events/${event.id}`, world.ws.cookie);
    expect(summary.text).toContain(
      `<iframe class="preview-frame" src="/dashboard/events/${event.id}/preview/widget"`,
    );
    expect(summary.text).toContain('https://owls.example');
    expect(directive(summary.headers.get('content-security-policy'), 'frame-src')).toBe(
      "frame-src 'self'",
    );
    expect(summary.headers.get('x-frame-options')).toBe('DENY');

    const widget = await page(`/dashboard/events/${event.id}/preview/widget`, world.ws.cookie);
    expect(widget.text).toContain('<script src="/widget/v1.js" async');
    expect(widget.text).toContain(`<tessera-tickets event="${event.slug}">`);
    const csp = widget.headers.get('content-security-policy');
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'self'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self'");
    expect(widget.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(widget.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    // What the widget then asks, from Tessera's own origin: always allowed by CORS.
    const read = await call('GET', `/api/v1/events/${event.slug}`, { headers: { origin: BASE } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(BASE);
  });

  it('previews follow the event scope and the workspace (404 outside)', async () => {
    const draft = await draftEvent();
    const scoped = await memberSession(world.ws.organizerId, 'door', ['evt_someotherevent0000']);
    const stranger = await signUpWithWorkspace('Strangers');
    for (const cookie of [scoped.cookie, stranger.cookie]) {
      expect((await page(`/dashboard/events/${draft.id}/preview`, cookie)).status).toBe(404);
      expect((await page(`/dashboard/events/${draft.id}/preview/widget`, cookie)).status).toBe(404);
    }
  });
});

describe('the snippet’s copy button', () => {
  it('a small self-hosted script, loaded by the editor, that copies and says so politely', async () => {
    const draft = await draftEvent();
    const editor = await page(`/dashboard/events/${draft.id}/edit`, world.ws.cookie);
    expect(editor.text).toMatch(/<textarea id="embed-snippet"[^>]*data-copy/);
    const path = /<script src="(\/dashboard\/assets\/dashboard\.js\?v=[0-9a-f]+)" defer/.exec(
      editor.text,
    )?.[1];
    const script = await page(path ?? '/missing');
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.text).toContain('navigator.clipboard.writeText');
    expect(script.text).toContain("'aria-live','polite'");
    expect(script.text).toContain("'Copied'");
  });
});
