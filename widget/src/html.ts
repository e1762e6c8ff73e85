/** Builds markup from strings; every value from the API or the host page goes through `esc`. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Attributes from a record; `false`/undefined leave the attribute out, `true` writes it bare. */
export function attrs(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== false && value !== undefined)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${esc(String(value))}"`))
    .join('');
}

/** A button that acts through the element's delegated click handler. */
export function button(
  label: string,
  act: string,
  options: { cls?: string; key?: string; disabled?: boolean; extra?: Record<string, string> } = {},
): string {
  return `<button${attrs({
    type: 'button',
    class: options.cls ?? 'primary',
    part: options.cls === 'secondary' ? 'secondary-button' : 'button',
    'data-act': act,
    'data-key': options.key ?? act,
    'aria-disabled': options.disabled ? 'true' : undefined,
    ...options.extra,
  })}>${esc(label)}</button>`;
}

/** The view's heading; focus moves here when a step changes while the buyer is in the widget. */
export function heading(text: string, extra = ''): string {
  return `<h2 tabindex="-1" data-focus part="title"${extra}>${esc(text)}</h2>`;
}
