import type { DoorResult, Verdict } from './types';

/** The answer, as a door person takes it in at a glance: colour, words, a beep, a buzz. */

const HEADLINES: Record<DoorResult, string> = {
  ok: 'Admit',
  already_checked_in: 'Already checked in',
  invalid: 'Not a valid ticket',
  wrong_event: 'Ticket for another event',
  refunded: 'Refunded',
  canceled: 'Event canceled',
  not_on_list: 'Not on this list',
  not_valid_yet: 'Not valid yet',
  not_valid_anymore: 'Not valid any more',
  test_ticket: 'Test ticket',
};

const REASONS: Partial<Record<DoorResult, string>> = {
  invalid: 'The code is damaged, forged or not a Tessera ticket.',
  refunded: 'This ticket was refunded or cancelled: do not admit.',
  test_ticket: 'A ticket from a test order: not valid at this event.',
  not_on_list: 'This ticket type is not admitted here.',
};

export function headline(result: DoorResult): string {
  return HEADLINES[result];
}

let audio: AudioContext | undefined;

/** Browsers start sound only after a gesture: the first tap or key makes the context. */
export function unlockSound(): void {
  if (audio || typeof AudioContext === 'undefined') return;
  audio = new AudioContext();
}

function beep(ok: boolean): void {
  if (!audio) return;
  const tones = ok
    ? [[880, 0, 0.12]]
    : [
        [220, 0, 0.15],
        [220, 0.22, 0.15],
      ];
  for (const [frequency = 440, at = 0, length = 0.1] of tones) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = ok ? 'sine' : 'square';
    osc.frequency.value = frequency;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + at);
    osc.stop(audio.currentTime + at + length);
  }
}

export function showVerdict(panel: HTMLElement, verdict: Verdict): void {
  const ok = verdict.result === 'ok';
  panel.className = `result ${ok ? 'ok' : 'bad'}`;
  panel.dataset.result = verdict.result;
  panel.dataset.seq = String(Number(panel.dataset.seq ?? '0') + 1);
  const text = (selector: string, value: string | null) => {
    const el = panel.querySelector<HTMLElement>(selector);
    if (el) el.textContent = value ?? '';
  };
  text('.headline', HEADLINES[verdict.result]);
  text('.reason', verdict.detail ?? REASONS[verdict.result] ?? null);
  text('.who', [verdict.holderName, verdict.ticketTypeName].filter(Boolean).join(' · '));
  const took = verdict.tookMs === undefined ? '' : ` in ${verdict.tookMs.toFixed(1)} ms`;
  text('.how', verdict.offline ? `Checked on this device${took}` : 'Checked online');
  if (verdict.tookMs !== undefined) panel.dataset.tookMs = verdict.tookMs.toFixed(3);
  else delete panel.dataset.tookMs;
  beep(ok);
  navigator.vibrate?.(ok ? 80 : [200, 80, 200]);
}
