import { actionFor, buyerFrom } from './actions';
import { storefrontApi } from './api';
import { Countdown } from './countdown';
import { effectFor } from './effects';
import { announcement, hostEvents, syncPaymentSlot } from './element-effects';
import { formatCountdown, formatMinutes } from './format';
import { type Lang, resolveLang, t } from './i18n';
import { initialState, type Event as MachineEvent, type State, transition } from './machine';
import { applyStyles, shellMarkup, trapTab } from './overlay';
import { ServerClock } from './server-clock';
import { css } from './styles';
import { view } from './views';
import { deadlineOf } from './views-checkout';

export const TAG = 'tessera-tickets';

/**
 * `<tessera-tickets event="…" lang="de|en" promo="…" mode="inline|overlay" api="…">`: the
 * purchase flow in an open shadow root. All logic lives in the pure machine; this class
 * renders its states, runs each state's effect and talks to the host page.
 */
export class TesseraTickets extends HTMLElement {
  /** The API origin, from the script that defined the element (set by index.ts). */
  static defaultOrigin = '';
  static observedAttributes = ['event', 'lang'];

  private state: State = initialState;
  /** Bumped on every transition: an effect's answer for an older state is dropped. */
  private generation = 0;
  private root: ShadowRoot | null = null;
  private content: HTMLElement | null = null;
  private live: HTMLElement | null = null;
  private dialog: HTMLDialogElement | null = null;
  private opener: HTMLElement | null = null;
  private readyFired = false;
  /** Deadlines are the server's: counted on its clock, not the buyer's. */
  private readonly clock = new ServerClock();
  private readonly countdown = new Countdown(
    {
      second: (left) => {
        const clock = this.content?.querySelector('[data-countdown]');
        if (clock) clock.textContent = formatCountdown(left);
      },
      minute: (minutes) => {
        const lang = this.language();
        this.say(t(lang, 'minutes_left', { minutes: formatMinutes(minutes, lang) }));
      },
      end: () => this.send({ type: 'expired' }),
    },
    () => this.clock.now(),
  );

  connectedCallback(): void {
    if (!this.root) this.build();
    this.render();
    this.runEffect();
  }

  disconnectedCallback(): void {
    this.generation++;
    this.countdown.stop();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.root || old === value) return;
    if (name === 'event') this.send({ type: 'restart' });
    else this.render();
  }

  /** Overlay mode: opens the dialog (the host page may call it from its own button too). */
  open(): void {
    const dialog = this.dialog;
    if (!dialog || dialog.open) return;
    const active =
      document.activeElement === this ? this.root?.activeElement : document.activeElement;
    this.opener = active instanceof HTMLElement ? active : null;
    dialog.showModal();
    this.content?.querySelector<HTMLElement>('[data-focus]')?.focus();
  }

  /** Overlay mode: closes the dialog and gives focus back to what opened it. */
  close(): void {
    if (!this.dialog?.open) return;
    this.dialog.close();
    this.opener?.focus();
  }

  /** The buyer's language: the `lang` attribute, else the page's. */
  private language(): Lang {
    return resolveLang(this.getAttribute('lang'), document.documentElement.lang);
  }

  private build(): void {
    const root = this.attachShadow({ mode: 'open' });
    const lang = this.language();
    root.innerHTML = shellMarkup(this.getAttribute('mode') === 'overlay', {
      open: t(lang, 'open'),
      close: t(lang, 'close'),
      title: t(lang, 'tickets'),
    });
    applyStyles(root, css);
    this.root = root;
    this.content = root.querySelector('.content');
    this.live = root.querySelector('.live');
    this.dialog = root.querySelector('dialog');
    root.addEventListener('click', (e) => {
      const target = e.target instanceof Element ? e.target.closest('[data-act]') : null;
      const action = target instanceof HTMLElement ? actionFor(target, this.state) : null;
      if (action?.type === 'open') this.open();
      else if (action?.type === 'close') this.close();
      else if (action) this.send(action);
    });
    root.addEventListener('submit', (e) => {
      e.preventDefault();
      if (e.target instanceof HTMLFormElement) {
        this.send({ type: 'submit_details', buyer: buyerFrom(e.target) });
      }
    });
    this.dialog?.addEventListener('cancel', (e) => {
      e.preventDefault(); // Escape: close our way, so focus returns to the opener
      this.close();
    });
    this.dialog?.addEventListener('keydown', (e) => {
      if (this.dialog) trapTab(e, this.dialog, this.root?.activeElement ?? null);
    });
  }

  private send(event: MachineEvent): void {
    const prev = this.state;
    const next = transition(prev, event);
    if (next === prev) return;
    this.state = next;
    for (const [name, detail] of hostEvents(prev, next, this.readyFired)) {
      if (name === 'ready') this.readyFired = true;
      this.dispatchEvent(
        new CustomEvent(`tessera:${name}`, { detail, bubbles: true, composed: true }),
      );
    }
    this.say(announcement(prev, next, event, this.language()));
    this.render();
    this.runEffect();
  }

  /** Shows the state. Focus follows the flow only when the buyer is in the widget already. */
  private render(): void {
    const { root, content } = this;
    if (!root || !content) return;
    const active = root.activeElement instanceof HTMLElement ? root.activeElement : null;
    const focusInside = active !== null && content.contains(active);
    const key = active?.dataset.key;
    const typed = Array.from(content.querySelectorAll('input'), (i) => [i.name, i.value]);
    const lang = this.language();
    content.innerHTML = view(this.state, lang, this.clock.now());
    for (const [name, value] of typed) {
      const input = content.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      if (input && value) input.value = value;
    }
    if (focusInside) {
      const same = key ? content.querySelector<HTMLElement>(`[data-key="${key}"]`) : null;
      (same ?? content.querySelector<HTMLElement>('[data-focus]'))?.focus();
    }
    syncPaymentSlot(this, this.state, lang, this.apiOrigin(), (event) => this.send(event));
    this.countdown.sync(deadlineOf(this.state));
  }

  /** Starts the current state's effect; its answer becomes the next event, if still current. */
  private runEffect(): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation && this.isConnected;
    const effect = effectFor(this.state, {
      api: storefrontApi(this.apiOrigin(), this.clock),
      eventRef: this.getAttribute('event') ?? '',
      promo: this.getAttribute('promo') || undefined,
      sleep: (ms) =>
        new Promise((resolve, reject) =>
          setTimeout(() => (current() ? resolve() : reject(new Error('stale'))), ms),
        ),
    });
    effect?.().then((event) => {
      if (event && current()) this.send(event);
    });
  }

  /** Tessera's origin: the `api` attribute, else where the script came from. */
  private apiOrigin(): string {
    const origin = this.getAttribute('api') || TesseraTickets.defaultOrigin || location.origin;
    return origin.replace(/\/+$/, '');
  }

  private say(text: string | null): void {
    if (text && this.live) this.live.textContent = text;
  }
}

/** Registers the element once, whatever number of loaders the page includes. */
export function defineTesseraTickets(origin: string): void {
  TesseraTickets.defaultOrigin = origin;
  if (!customElements.get(TAG)) customElements.define(TAG, TesseraTickets);
}
