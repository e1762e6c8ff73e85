/**
 * The waiting-room queue token per event in sessionStorage, so a reload keeps the buyer's
 * place. Storage can be unavailable (sandboxed frames, strict privacy modes): then the place
 * lasts as long as the page.
 */

const memory = new Map<string, string>();
const keyFor = (eventId: string) => `tessera:queue:${eventId}`;

export function loadQueueToken(eventId: string): string | null {
  try {
    return sessionStorage.getItem(keyFor(eventId)) ?? memory.get(eventId) ?? null;
  } catch {
    return memory.get(eventId) ?? null;
  }
}

export function saveQueueToken(eventId: string, token: string): void {
  memory.set(eventId, token);
  try {
    sessionStorage.setItem(keyFor(eventId), token);
  } catch {
    // memory only
  }
}

export function forgetQueueToken(eventId: string): void {
  memory.delete(eventId);
  try {
    sessionStorage.removeItem(keyFor(eventId));
  } catch {
    // memory only
  }
}
