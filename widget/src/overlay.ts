import { esc } from './html';

/** The shadow root's shell, its styles, and focus handling for the overlay dialog. */

const FOCUSABLE = 'button,[href],input,select,textarea,[tabindex]:not([tabindex="-1"])';

function focusables(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0,
  );
}

/** Keeps Tab inside `container` (the open dialog); `active` is the shadow root's focus. */
export function trapTab(
  event: KeyboardEvent,
  container: HTMLElement,
  active: Element | null,
): void {
  if (event.key !== 'Tab') return;
  const items = focusables(container);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const outside = !active || !container.contains(active);
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}

/** Applies the CSS: a constructed sheet where supported (not blocked by a host's CSP). */
export function applyStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}

/** The shadow root's markup: the panel inline, or a launcher button and a modal dialog. */
export function shellMarkup(
  overlay: boolean,
  words: { open: string; close: string; title: string },
): string {
  const panel =
    '<div class="panel" part="panel"><div class="live" aria-live="polite" aria-atomic="true"></div><div class="content"></div></div>';
  if (!overlay) return panel;
  return `<button type="button" class="primary" part="open-button" data-act="open">${esc(
    words.open,
  )}</button><dialog part="dialog" aria-label="${esc(words.title)}"><button type="button" class="close" part="close-button" data-act="close" aria-label="${esc(
    words.close,
  )}">×</button>${panel}</dialog>`;
}
