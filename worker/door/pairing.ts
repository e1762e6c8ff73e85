import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { doorDevices, doorPairingCodes, events } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { problem } from '../domain/errors';
import { randomToken } from '../domain/ids';
import { deviceView } from './devices';

/**
 * Pairing a phone: the dashboard shows a one-time code (QR and text); the phone exchanges it
 * once, within 10 minutes, for a fresh device token. The code is the only secret on the
 * dashboard's screen: the token exists only in the phone's answer (and as a hash in D1).
 */

export const PAIRING_TTL_MS = 10 * 60_000;

/** Easy to read aloud and type: no 0/O, 1/I/L. 12 of 31 symbols, about 59 bits. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 12;
const CODE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** Upper case, without the spaces and dashes a person may type; null when it can not be one. */
export function normalizePairingCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return CODE.test(code) ? code : null;
}

/** `ABCD-EFGH-JKMN`: the form shown on screen and put in the QR's link. */
export function formatPairingCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

function newPairingCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH * 2));
  let out = '';
  // Rejection sampling: 31 symbols do not divide 256, so bytes >= 248 are skipped.
  for (const byte of bytes) {
    if (out.length === CODE_LENGTH) break;
    if (byte < 248) out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  }
  return out.length === CODE_LENGTH ? out : newPairingCode();
}

/**
 * A new code for the device; the device's earlier unused codes stop working, so only the code
 * on screen now can pair.
 */
export async function issuePairingCode(
  db: Db,
  device: { id: string; eventId: string },
  createdBy: string,
  nowMs: number,
): Promise<{ code: string; expiresAt: string }> {
  const code = newPairingCode();
  const now = new Date(nowMs).toISOString();
  const expiresAt = new Date(nowMs + PAIRING_TTL_MS).toISOString();
  await db.batch([
    db
      .update(doorPairingCodes)
      .set({ usedAt: now })
      .where(and(eq(doorPairingCodes.deviceId, device.id), isNull(doorPairingCodes.usedAt))),
    db.insert(doorPairingCodes).values({
      codeHash: await sha256Hex(code),
      deviceId: device.id,
      eventId: device.eventId,
      createdBy,
      createdAt: now,
      expiresAt,
    }),
  ]);
  return { code: formatPairingCode(code), expiresAt };
}

const refused = () =>
  problem('invalid_token', 'This pairing code is not valid: it may be mistyped, used or expired.');

/**
 * Uses the code (one statement: of two phones racing with one code, one wins) and gives the
 * device a new token, which replaces any earlier one: pairing again moves the device to the
 * new phone. A wrong, used or expired code, or a revoked device, is one and the same refusal.
 */
export async function redeemPairingCode(db: Db, input: string, nowMs: number) {
  const code = normalizePairingCode(input);
  if (!code) throw refused();
  const now = new Date(nowMs).toISOString();
  const used = await db
    .update(doorPairingCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(doorPairingCodes.codeHash, await sha256Hex(code)),
        isNull(doorPairingCodes.usedAt),
        gt(doorPairingCodes.expiresAt, now),
      ),
    )
    .returning({ deviceId: doorPairingCodes.deviceId })
    .get();
  if (!used) throw refused();
  const token = `dev_${randomToken(32)}`;
  const device = await db
    .update(doorDevices)
    .set({ tokenHash: await sha256Hex(token) })
    .where(and(eq(doorDevices.id, used.deviceId), isNull(doorDevices.revokedAt)))
    .returning()
    .get();
  if (!device) throw refused();
  const event = await db
    .select({ id: events.id, title: events.title, startsAt: events.startsAt })
    .from(events)
    .where(eq(events.id, device.eventId))
    .get();
  if (!event) throw refused();
  const { id, name, eventId, listIds } = deviceView(device);
  return { token, device: { id, name, eventId, listIds }, event };
}
