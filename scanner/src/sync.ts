import { Refused, request } from './api';
import { keptScans, loadPrepared, markScans, savePage } from './store';
import type { BundleList, KeptScan, Prepared, PublicJwk, StoredTicket } from './types';

/**
 * The device's side of `/api/v1/door/bundle` and `/api/v1/door/sync`: download everything
 * ("prepare"), pull what changed since the last download, push the scans kept offline.
 */

interface BundlePage {
  event: Prepared['event'];
  generatedAt: string;
  lists: BundleList[];
  ticketTypes: { id: string; name: string }[];
  jwks: { keys: PublicJwk[] };
  tickets: StoredTicket[];
  nextCursor: string | null;
  revocations?: { ticketId: string }[];
  checkins?: { ticketId: string; listId: string; firstCheckedInAt: string; inside: boolean }[];
}

/**
 * Every page of the bundle; `since` (the last download's `generatedAt`) for the changes only.
 * The new `generatedAt` is saved with the last page, so an interrupted pull is redone whole.
 */
export async function pullBundle(token: string, since: string | null): Promise<Prepared> {
  let cursor: string | null = null;
  let first: BundlePage | null = null;
  do {
    const query = new URLSearchParams();
    if (since) query.set('since', since);
    if (cursor) query.set('cursor', cursor);
    const page: BundlePage = await request<BundlePage>('GET', `/api/v1/door/bundle?${query}`, {
      token,
      timeoutMs: 20_000,
    });
    first ??= page;
    cursor = page.nextCursor;
    const prepared: Prepared = {
      event: first.event,
      generatedAt: first.generatedAt,
      lists: first.lists,
      ticketTypes: first.ticketTypes,
      jwks: first.jwks,
    };
    await savePage({
      tickets: page.tickets,
      ...(page.revocations ? { revocations: page.revocations } : {}),
      ...(page.checkins ? { checkins: page.checkins } : {}),
      ...(cursor === null ? { prepared } : {}),
    });
  } while (cursor !== null);
  const saved = await loadPrepared();
  if (!saved) throw new Error('bundle not saved');
  return saved;
}

interface SyncAnswer {
  results: { nonce: string; outcome: string }[];
  recorded: number;
  replayed: number;
}

const BATCH = 200;

/**
 * Sends the kept scans in batches; the server takes each as a fact with its own time, and a
 * batch sent twice records nothing twice (idempotent by nonce). A batch the server refuses
 * for a scan's own fault (too old, a list the device lost, a nonce clash) sets those scans
 * aside, so one bad scan never blocks the rest. Returns how many were synced.
 */
export async function pushScans(token: string): Promise<number> {
  let synced = 0;
  for (;;) {
    const batch = await keptScans(BATCH);
    if (batch.length === 0) return synced;
    try {
      const answer = await request<SyncAnswer>('POST', '/api/v1/door/sync', {
        token,
        body: { scans: batch.map(wire) },
        timeoutMs: 15_000,
      });
      await markScans(
        answer.results.map((r) => r.nonce),
        'synced',
      );
      synced += answer.results.length;
    } catch (error) {
      if (!(error instanceof Refused) || error.status !== 422) throw error;
      const bad = faultyScans(error.body, batch);
      if (bad.length === 0) throw error;
      await markScans(bad, 'rejected');
    }
  }
}

function wire(scan: KeptScan) {
  const { state: _state, ...fact } = scan;
  return fact;
}

/** The nonces a 422 names: `errors[].path` = `scans.N.…`, or the `nonce` of a reused one. */
function faultyScans(body: Record<string, unknown>, batch: KeptScan[]): string[] {
  const nonces = new Set<string>();
  if (typeof body.nonce === 'string') nonces.add(body.nonce);
  const errors = Array.isArray(body.errors) ? body.errors : [];
  for (const e of errors) {
    const path = typeof e === 'object' && e !== null ? (e as { path?: unknown }).path : null;
    const index = typeof path === 'string' ? /^scans\.(\d+)\./.exec(path)?.[1] : undefined;
    const scan = index === undefined ? undefined : batch[Number(index)];
    if (scan) nonces.add(scan.nonce);
  }
  return [...nonces];
}
