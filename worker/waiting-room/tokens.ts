import { base64url, errors, jwtVerify, SignJWT } from 'jose';
import { hmacSha256Key } from '../domain/crypto';
import type { AdmissionTicket, QueueTicket, TokenCheck } from './view';

/**
 * The waiting room's two tokens, HS256 JWTs signed with `QUEUE_TOKEN_SECRET`:
 * - queue token (`kind: "q"`): a buyer's place in line (`seq`), bound to one event (`aud`);
 * - admission token (`kind: "a"`): the DO's grant for that seq, expiring with the grant.
 * Neither is ever accepted as the other, nor for another event. The Worker alone signs and
 * checks them, so polling the line costs the event's Durable Object nothing.
 */

const ALG = 'HS256';
/** A queue token outlives the longest wait; a pre-queue's lasts until a day after sales open. */
const QUEUE_TOKEN_SECONDS = 24 * 60 * 60;
const MAX_TOKEN_LENGTH = 1024;
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]{43}$/;

type Kind = 'q' | 'a';

/** The HMAC key; a missing secret must fail loudly, never sign with an empty key. */
function signingKey(env: Env): Promise<CryptoKey> {
  const secret = env.QUEUE_TOKEN_SECRET;
  if (!secret) throw new Error('QUEUE_TOKEN_SECRET is not set');
  return hmacSha256Key(secret);
}

async function sign(
  env: Env,
  claims: { kind: Kind; seq: number; w0?: number },
  eventId: string,
  issuedAt: number,
  expiresAt: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG })
    .setAudience(eventId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await signingKey(env));
}

/**
 * Signs a buyer's place in line. `watermark` is the room's watermark at joining: the
 * waiting page's progress bar measures from there.
 */
export function signQueueToken(
  env: Env,
  input: { eventId: string; seq: number; watermark: number; salesStartAt: string | null },
  nowMs = Date.now(),
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const salesStart = input.salesStartAt ? Math.floor(Date.parse(input.salesStartAt) / 1000) : 0;
  const expiresAt = Math.max(now, salesStart) + QUEUE_TOKEN_SECONDS;
  const claims = { kind: 'q' as const, seq: input.seq, w0: input.watermark };
  return sign(env, claims, input.eventId, now, expiresAt);
}

/** Signs the DO's admission grant; the token expires exactly when the grant does. */
export function signAdmissionToken(
  env: Env,
  input: { eventId: string; seq: number; expiresAt: string },
  nowMs = Date.now(),
): Promise<string> {
  const expiresAt = Math.floor(Date.parse(input.expiresAt) / 1000);
  return sign(
    env,
    { kind: 'a', seq: input.seq },
    input.eventId,
    Math.floor(nowMs / 1000),
    expiresAt,
  );
}

interface Verified {
  seq: number;
  iat: number;
  exp: number;
  w0: number;
}

/**
 * Checks signature (HS256 only), type, event and expiry. A signature segment must be the
 * canonical encoding of its bytes: jose ignores the spare low bits of the last character,
 * which would let four different strings pass for one token.
 */
async function verify(
  env: Env,
  token: string | undefined,
  kind: Kind,
  eventId: string,
): Promise<TokenCheck<Verified>> {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (base64url.encode(base64url.decode(signature)) !== signature) {
    return { ok: false, reason: 'malformed' };
  }
  const key = await signingKey(env);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      audience: eventId,
      requiredClaims: ['iat', 'exp'],
    });
    const { seq, w0 = 0 } = payload;
    if (payload.kind !== kind || !isCount(seq, 1) || !isCount(w0, 0)) {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, ticket: { seq, iat: payload.iat ?? 0, exp: payload.exp ?? 0, w0 } };
  } catch (error) {
    // jose checks the signature before any claim, so these two only follow a good signature.
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
      return { ok: false, reason: 'other_event' };
    }
    return { ok: false, reason: 'invalid' };
  }
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** A queue token for this event, or why not. Never throws on bad input. */
export async function verifyQueueToken(
  env: Env,
  eventId: string,
  token: string | undefined,
): Promise<TokenCheck<QueueTicket>> {
  const check = await verify(env, token, 'q', eventId);
  if (!check.ok) return check;
  const { seq, iat, w0 } = check.ticket;
  return { ok: true, ticket: { eventId, seq, issuedAt: iat, joinedAtWatermark: w0 } };
}

/** An admission token for this event, or why not. Never throws on bad input. */
export async function verifyAdmissionToken(
  env: Env,
  eventId: string,
  token: string | undefined,
): Promise<TokenCheck<AdmissionTicket>> {
  const check = await verify(env, token, 'a', eventId);
  if (!check.ok) return check;
  return { ok: true, ticket: { eventId, seq: check.ticket.seq, expiresAt: check.ticket.exp } };
}
