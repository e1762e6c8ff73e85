import { newNonce, Offline, Refused, request } from './api';
import { clock, scanOffline } from './offline';
import {
  countKept,
  countTickets,
  loadPairing,
  loadPrepared,
  loadSettings,
  savePairing,
} from './store';
import { pullBundle, pushScans } from './sync';
import type { BundleList, DoorResult, Pairing, Prepared, Verdict } from './types';

/**
 * The scanner's state and its one rule about the network: scan online while the server
 * answers; when a request fails or times out, answer from the device and keep the scan; probe
 * every few seconds, and once the server answers again, sync the kept scans and pull changes.
 */

export type Mode = 'online' | 'offline';

interface OnlineAnswer {
  result: DoorResult;
  ticket?: { holderName: string | null; ticketTypeName: string | null };
  firstCheckedInAt?: string;
  gate?: string | null;
  device?: { name: string } | null;
  reentry?: boolean;
}

const PROBE_MS = 5000;
const PULL_EVERY_MS = 60_000;

export class Door {
  pairing: Pairing | null = null;
  prepared: Prepared | null = null;
  listId: string | null = null;
  gate: string | null = null;
  mode: Mode = 'online';
  /** The server refused the token: revoked, or paired again on another phone. */
  revoked = false;
  /** Downloads completed (whole or changes): the page shows it, so a person sees it worked. */
  pulls = 0;
  private lastPull = 0;
  private probing: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: () => void) {}

  async load(): Promise<void> {
    [this.pairing, this.prepared] = await Promise.all([loadPairing(), loadPrepared()]);
    const settings = await loadSettings();
    this.listId = settings.listId;
    this.gate = settings.gate;
    this.lastPull = Date.now();
    if (!navigator.onLine) this.mode = 'offline';
  }

  get list(): BundleList | null {
    const lists = this.prepared?.lists ?? [];
    return (
      lists.find((l) => l.id === this.listId) ?? lists.find((l) => l.isDefault) ?? lists[0] ?? null
    );
  }

  /** A code from the dashboard, or a device token from the organizer API's pairing URL. */
  async pair(code: string): Promise<void> {
    const pairing = code.startsWith('dev_')
      ? await this.tokenPairing(code)
      : await request<Pairing>('POST', '/api/v1/door/pair', { body: { code } });
    await savePairing(pairing);
    this.pairing = pairing;
    this.revoked = false;
    this.prepared = null;
    this.listId = null;
    await this.prepare();
  }

  private async tokenPairing(token: string): Promise<Pairing> {
    const head = await request<Prepared>('GET', '/api/v1/door/bundle?limit=1', { token });
    return { token, device: { id: '', name: '', eventId: head.event.id }, event: head.event };
  }

  /** "Prepare device": every ticket, the lists, the keys and what happened at the door. */
  async prepare(): Promise<number> {
    if (!this.pairing) throw new Error('not paired');
    this.prepared = await pullBundle(this.pairing.token, null);
    this.lastPull = Date.now();
    this.pulls += 1;
    this.onChange();
    return countTickets();
  }

  async scan(input: { code: string } | { ticketId: string }): Promise<Verdict> {
    if (!this.pairing) throw new Error('not paired');
    const list = this.list;
    if (this.mode === 'online') {
      try {
        return await this.scanOnline(input, list);
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        this.goOffline();
      }
    }
    if (!this.prepared || !list) {
      return {
        result: 'invalid',
        holderName: null,
        ticketTypeName: null,
        detail: 'No network, and this device is not prepared: it can not check tickets.',
        offline: true,
      };
    }
    // A new nonce: the online attempt may have reached the server with the first one.
    return scanOffline(this.prepared, { input, list, gate: this.gate, nonce: newNonce() });
  }

  private async scanOnline(
    input: { code: string } | { ticketId: string },
    list: BundleList | null,
  ): Promise<Verdict> {
    const answer = await request<OnlineAnswer>('POST', '/api/v1/door/scan', {
      token: this.pairing?.token ?? '',
      body: {
        ...input,
        nonce: newNonce(),
        ...(list ? { listId: list.id } : {}),
        ...(this.gate ? { gate: this.gate } : {}),
      },
    });
    let detail: string | null = null;
    if (answer.result === 'already_checked_in' && answer.firstCheckedInAt) {
      const where = answer.gate ? ` at ${answer.gate}` : '';
      const who = answer.device?.name ? `, by ${answer.device.name}` : '';
      detail = `First admitted ${clock(answer.firstCheckedInAt)}${where}${who}.`;
    } else if (answer.result === 'ok' && answer.reentry) {
      detail = 'Re-entry.';
    }
    return {
      result: answer.result,
      holderName: answer.ticket?.holderName ?? null,
      ticketTypeName: answer.ticket?.ticketTypeName ?? null,
      detail,
      offline: false,
    };
  }

  goOffline(): void {
    if (this.mode !== 'offline') {
      this.mode = 'offline';
      this.onChange();
    }
    this.scheduleProbe(PROBE_MS);
  }

  scheduleProbe(ms: number): void {
    clearTimeout(this.probing);
    this.probing = setTimeout(() => void this.tick(), ms);
  }

  /**
   * Sync when there is something to sync, pull changes now and then (`force`: now, the "Sync
   * now" button); whether the server answers decides the mode.
   */
  async tick(force = false): Promise<void> {
    if (!this.pairing) return;
    const token = this.pairing.token;
    try {
      // Every tick asks the server something: its answer is what says "online".
      if ((await countKept()) > 0) await pushScans(token);
      const pull = force || this.mode === 'offline' || Date.now() - this.lastPull > PULL_EVERY_MS;
      if (pull && this.prepared) {
        this.prepared = await pullBundle(token, this.prepared.generatedAt);
        this.lastPull = Date.now();
        this.pulls += 1;
      } else {
        await request('GET', '/api/v1/door/search?q=__probe__&limit=1', { token });
      }
      this.mode = 'online';
      this.onChange();
      this.scheduleProbe(PULL_EVERY_MS / 2);
    } catch (error) {
      if (error instanceof Refused && error.status === 401) {
        this.revoked = true;
        this.onChange();
        return;
      }
      this.goOffline();
    }
  }
}
