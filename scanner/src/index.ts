import { Refused } from './api';
import { wireCamera } from './camera-ui';
import { Door } from './door';
import { showVerdict, unlockSound } from './feedback';
import { searchTickets } from './search';
import { countKept, countTickets, saveSettings } from './store';

/**
 * `/scan`: the door person's page (worker/routes/scan-page.tsx draws it; this wires it up).
 * Pair once, then scan with the camera, a photo, a keyboard-wedge scanner typing the code and
 * Enter into the code field, or a search; online while the server answers, on the device when
 * it does not.
 */

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const root = $<HTMLElement>('scanner');
const codeInput = $<HTMLInputElement>('code');
const result = $<HTMLElement>('result');

const door = new Door(() => void render());

async function render(): Promise<void> {
  const paired = door.pairing !== null;
  // A revoked device (or one paired again on another phone) can be paired here again.
  $('pair-panel').hidden = paired && !door.revoked;
  $('scan-panel').hidden = !paired;
  root.dataset.mode = door.mode;
  if (!paired) return;
  $('event-title').textContent = door.pairing?.event.title ?? '';
  $('device-name').textContent = door.pairing?.device.name ?? '';
  const kept = await countKept();
  const status = door.revoked
    ? 'This device was revoked or paired again elsewhere: pair it again.'
    : `${door.mode === 'online' ? 'Online' : 'Offline: checking on this device'}${kept ? ` · ${kept} to sync` : ' · all synced'}`;
  $('status').textContent = status;
  root.dataset.kept = String(kept);
  root.dataset.pulls = String(door.pulls);
  const prepared = door.prepared;
  $('prepared').textContent = prepared
    ? `Prepared: ${await countTickets()} tickets, as of ${new Date(prepared.generatedAt).toLocaleTimeString()}`
    : 'Not prepared: without network this device can not check tickets.';
  const select = $<HTMLSelectElement>('list');
  const lists = prepared?.lists ?? [];
  if (select.options.length !== lists.length) {
    select.replaceChildren(
      ...lists.map((l) => new Option(`${l.name}${l.direction === 'exit' ? ' (exit)' : ''}`, l.id)),
    );
  }
  select.value = door.list?.id ?? '';
  const gate = $<HTMLInputElement>('gate');
  if (document.activeElement !== gate) gate.value = door.gate ?? '';
}

async function check(input: { code: string } | { ticketId: string }): Promise<void> {
  result.className = 'result busy';
  try {
    showVerdict(result, await door.scan(input));
  } catch (error) {
    const revoked = error instanceof Refused && error.status === 401;
    if (revoked) door.revoked = true;
    result.className = 'result bad';
    result.dataset.result = 'error';
    result.dataset.seq = String(Number(result.dataset.seq ?? '0') + 1);
    const [headlineEl, reasonEl] = ['.headline', '.reason'].map((s) => result.querySelector(s));
    if (headlineEl) headlineEl.textContent = revoked ? 'Device not paired' : 'Try again';
    if (reasonEl) reasonEl.textContent = error instanceof Error ? error.message : '';
  }
  await render();
  // Ready for the next ticket at once: a wedge scanner types into the focused field.
  codeInput.focus();
}

function wire(): void {
  addEventListener('pointerdown', unlockSound, { once: true });
  addEventListener('keydown', unlockSound, { once: true });
  addEventListener('offline', () => door.goOffline());
  addEventListener('online', () => door.scheduleProbe(0));

  $<HTMLFormElement>('pair-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void pair($<HTMLInputElement>('pair-code').value.trim());
  });
  $<HTMLFormElement>('code-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = codeInput.value.trim();
    codeInput.value = '';
    if (code) void check({ code });
  });
  $<HTMLSelectElement>('list').addEventListener('change', (e) => {
    door.listId = (e.target as HTMLSelectElement).value;
    void saveSettings({ listId: door.listId, gate: door.gate });
  });
  $<HTMLInputElement>('gate').addEventListener('change', (e) => {
    door.gate = (e.target as HTMLInputElement).value.trim() || null;
    void saveSettings({ listId: door.listId, gate: door.gate });
  });
  $<HTMLButtonElement>('prepare').addEventListener('click', () => void prepare());
  $<HTMLButtonElement>('sync-now').addEventListener('click', () => void door.tick(true));
  $<HTMLFormElement>('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void search($<HTMLInputElement>('q').value.trim());
  });
  wireCamera(root.dataset.qrWorker ?? '', (code) => void check({ code }));
}

async function pair(code: string): Promise<void> {
  const error = $('pair-error');
  error.textContent = '';
  $('pair-progress').textContent = 'Pairing…';
  try {
    await door.pair(code);
    door.scheduleProbe(30_000);
  } catch (e) {
    error.textContent =
      e instanceof Refused
        ? e.message
        : 'No connection to Tessera: pair this device where there is network.';
  }
  $('pair-progress').textContent = '';
  await render();
  if (door.pairing) codeInput.focus();
}

async function prepare(): Promise<void> {
  $('prepared').textContent = 'Downloading tickets…';
  try {
    await door.prepare();
  } catch {
    $('prepared').textContent = 'Could not download: try again where there is network.';
    return;
  }
  await render();
}

async function search(q: string): Promise<void> {
  const list = $<HTMLUListElement>('search-results');
  const found = await searchTickets(door, q);
  list.replaceChildren(
    ...found.map((t) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `Check in ${t.holderName ?? 'ticket'} · ${t.ticketTypeName ?? ''} · ${t.orderId}`;
      button.addEventListener('click', () => void check({ ticketId: t.ticketId }));
      item.append(button);
      return item;
    }),
  );
  if (found.length === 0)
    list.textContent = q.length < 2 ? 'Type at least 2 characters.' : 'No ticket found.';
}

async function boot(): Promise<void> {
  if ('serviceWorker' in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: '/scan' }).catch(() => undefined);
  }
  wire();
  await door.load();
  await render();
  const pairCode = new URLSearchParams(location.hash.slice(1)).get('pair');
  if (pairCode) {
    // Out of the address bar and the history at once: the code is a secret until used.
    history.replaceState(null, '', location.pathname);
    await pair(pairCode);
  } else if (door.pairing) {
    door.scheduleProbe(0);
    codeInput.focus();
  }
  root.dataset.ready = 'true';
}

void boot();
