/**
 * Steps the dashboard's browser tests share: a new organizer's sign-up through the dev mail
 * outbox and their first workspace, driven only by what a person reads (labels, roles and
 * button names), plus the checks every dashboard page gets (focus ring, axe-core, weight).
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { e2e } from './harness';
import { expectCount } from './widget-steps';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A fresh address per test: every test signs up its own organizer. */
export function newEmail(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}@example.com`;
}

export const dashboardUrl = (pathname = '') => `${e2e().tesseraOrigin}/dashboard${pathname}`;

/** Asks for a sign-in link on the sign-in page and lands on "Check your email". */
export async function requestLink(page: Page, email: string): Promise<void> {
  await page.goto(dashboardUrl('/sign-in'));
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expectCount(page.getByRole('heading', { name: 'Check your email' }), 1);
}

/**
 * Reads the newest link mailed to `email` from the development outbox, as a person would:
 * open the outbox, open the mail, copy the link from its text. The mail is sent by the
 * notifications queue, so the outbox is reloaded until it is there.
 */
export async function linkFromOutbox(
  page: Page,
  email: string,
  options: { keyboard?: boolean } = {},
): Promise<string> {
  await page.goto(`${e2e().tesseraOrigin}/dev/outbox`);
  const row = page.getByRole('row').filter({ hasText: email });
  await expect
    .poll(
      async () => {
        if ((await row.count()) > 0) return true;
        await page.reload();
        return false;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  if (options.keyboard) await tabToMailOf(page, email);
  else await row.first().getByRole('link').click();
  await expectCount(page.getByRole('heading', { name: 'Plain text' }), 1);
  const text = (await page.locator('pre').textContent()) ?? '';
  const link = /https?:\/\/\S+\/dashboard\/auth\?token=\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no sign-in link in the mail: ${text}`);
  return link;
}

/** Tabs to the first mail to `email` in the outbox and opens it with Enter. */
async function tabToMailOf(page: Page, email: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const mine = await page.evaluate(
      (to) =>
        document.activeElement instanceof HTMLAnchorElement &&
        (document.activeElement.closest('tr')?.textContent ?? '').includes(to),
      email,
    );
    if (mine) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Tab never reached the mail to ${email}`);
}

/** Sign-up from nothing: ask for a link, open it from the outbox, press Continue. */
export async function signUp(page: Page, email: string): Promise<void> {
  await requestLink(page, email);
  await page.goto(await linkFromOutbox(page, email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectCount(page.getByRole('heading', { name: 'Create your workspace' }), 1);
}

/** The workspace form, then the workspace home (its h1 is the workspace's name). */
export async function createWorkspace(page: Page, name: string): Promise<void> {
  await page.getByLabel('Organizer name').fill(name);
  // Unique: workspaces' short names are, and every test of a run shares one database.
  const slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now().toString(36)}`;
  await page.getByLabel('Short name for addresses').fill(slug);
  await page.getByLabel('Country').fill('DE');
  await page.getByLabel('Currency').fill('EUR');
  await page.getByLabel('Time zone').fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expectCount(page.getByRole('heading', { name, level: 1 }), 1);
}

export interface FocusStop {
  /** The focused control's label (or its text, for links and buttons). */
  label: string;
  /** Its computed `outline-style outline-width`: a keyboard user must see where they are. */
  outline: string;
}

export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { label: '', outline: 'none' };
    const style = getComputedStyle(el);
    const label =
      (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ||
      el.getAttribute('aria-label') ||
      (el.textContent ?? '').trim();
    return { label, outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });
}

/**
 * Presses Tab (only Tab) until the focused control is labelled `label`, recording every
 * control focused on the way into `stops`.
 */
export async function tabTo(
  page: Page,
  label: string,
  stops: FocusStop[],
  maxPresses = 60,
): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    stops.push(stop);
    if (stop.label === label) return;
  }
  throw new Error(`Tab never reached "${label}" (now on "${stops.at(-1)?.label}")`);
}

const AXE_SOURCE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now (the context must be
 * made with `bypassCSP: true`: the dashboard's CSP allows no injected script).
 */
export async function seriousViolations(page: Page, location = ''): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    type Result = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[] }[];
      }[];
    };
    const axe = (window as unknown as { axe: { run(): Promise<Result> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  if (process.env.AXE_ALL) console.log(location, JSON.stringify(violations));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface WeighedLoad {
  /** The document's response. */
  response: Response | null;
  /** Gzipped bytes of the document and every file it loaded (CSS, JS, images). */
  gzipped: number;
  files: { url: string; gzipped: number }[];
}

/**
 * Runs `go` (a navigation or a form's submission) as a first visit, with the HTTP cache off
 * (it is while the context routes requests), and adds up the gzipped size of everything the
 * page loaded.
 */
export async function weighLoad(
  context: BrowserContext,
  page: Page,
  go: () => Promise<Response | null>,
): Promise<WeighedLoad> {
  await context.route('**/*', (route) => route.continue());
  const files: WeighedLoad['files'] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    if (response.status() >= 300 && response.status() < 400) return; // a redirect: no body
    pending.push(
      response.body().then((body) => {
        files.push({ url: response.url(), gzipped: gzipSync(body).length });
      }),
    );
  };
  page.on('response', onResponse);
  try {
    const response = await go();
    await page.waitForLoadState('load');
    await Promise.all(pending);
    return { response, gzipped: files.reduce((sum, f) => sum + f.gzipped, 0), files };
  } finally {
    page.off('response', onResponse);
    await context.unroute('**/*');
  }
}
