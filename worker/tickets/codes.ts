import type { JSONWebKeySet, JWK } from 'jose';
import { CompactSign, compactVerify, importJWK } from 'jose';

/**
 * Ticket codes: the compact JWS printed in a ticket's QR code, signed with Ed25519 so that a
 * scanner can verify it offline against `/.well-known/jwks.json`.
 *
 * Format: `base64url({"alg":"EdDSA","kid":…}) . base64url(["<ticket>","<event>"]) . sig`, where
 * the payload holds the ids without their `tkt_` / `evt_` prefixes. A JSON array without the
 * prefixes keeps a realistic code under 200 characters (QR version 10 at level M); an object
 * with full ids would need version 11. A test-mode ticket's payload has a third element,
 * `"test"` (`["<ticket>","<event>","test"]`), so a door (or an offline scanner) can refuse it
 * at a live event; codes without it are live tickets, as every code signed before was.
 */

export interface TicketClaims {
  ticketId: string;
  eventId: string;
  /** A ticket of a test-mode order: never valid at a live door. */
  test?: boolean;
}

const TEST_CLAIM = 'test';

/** "EdDSA" (RFC 8037) rather than "Ed25519" (RFC 9864): far more JOSE libraries verify it. */
const ALG = 'EdDSA';
const TICKET_PREFIX = 'tkt_';
const EVENT_PREFIX = 'evt_';
/** What follows an id's prefix; sign and verify share it so they accept the same ids. */
const ID_BODY = /^[0-9a-z]{1,64}$/;
const MAX_CODE_LENGTH = 1024;
/**
 * Three base64url segments; the 64-byte signature is 86 characters whose last one carries 4
 * unused bits. Requiring them to be zero makes the code non-malleable: otherwise 16 different
 * strings would verify for one ticket.
 */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]{85}[AQgw]$/;

interface KeyRing {
  kid: string;
  signingKey: CryptoKey;
  verifyKeys: Map<string, CryptoKey>;
  jwks: JWK[];
}

interface Ed25519Jwk {
  kid: string;
  x: string;
  d?: string;
}

/** One secret per isolate in practice; a new value (rotation, tests) replaces the entry. */
let cache: { source: string; ring: Promise<KeyRing> } | undefined;

function keyRing(env: Env): Promise<KeyRing> {
  const source = env.TICKET_SIGNING_JWK;
  if (cache?.source === source) return cache.ring;
  const ring = loadKeyRing(source);
  cache = { source, ring };
  // A failed import must not stay cached: the next call retries and reports the error again.
  ring.catch(() => {
    if (cache?.ring === ring) cache = undefined;
  });
  return ring;
}

/** `TICKET_SIGNING_JWK` is one private JWK, or an array whose first key signs and all verify. */
async function loadKeyRing(source: string): Promise<KeyRing> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    // Never echo the secret (or a parser message quoting it) into logs.
    throw new Error('TICKET_SIGNING_JWK is not valid JSON');
  }
  const keys = (Array.isArray(parsed) ? parsed : [parsed]).map(toEd25519Jwk);
  const [signer] = keys;
  if (!signer?.d) throw new Error('TICKET_SIGNING_JWK: the first key must be a private key');
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) {
    throw new Error('TICKET_SIGNING_JWK: kids must be unique');
  }
  const signingKey = await importKey({ kty: 'OKP', crv: 'Ed25519', x: signer.x, d: signer.d });
  const verifyKeys = new Map<string, CryptoKey>();
  for (const k of keys) {
    verifyKeys.set(k.kid, await importKey({ kty: 'OKP', crv: 'Ed25519', x: k.x }));
  }
  const jwks = keys.map(
    (k): JWK => ({ kty: 'OKP', crv: 'Ed25519', x: k.x, kid: k.kid, alg: ALG, use: 'sig' }),
  );
  return { kid: signer.kid, signingKey, verifyKeys, jwks };
}

function toEd25519Jwk(value: unknown): Ed25519Jwk {
  if (typeof value !== 'object' || value === null) throw new Error('TICKET_SIGNING_JWK: not a JWK');
  const { kty, crv, x, d, kid } = value as Record<string, unknown>;
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') {
    throw new Error('TICKET_SIGNING_JWK: expected an OKP Ed25519 JWK');
  }
  if (typeof kid !== 'string' || kid === '') throw new Error('TICKET_SIGNING_JWK: kid is required');
  if (d !== undefined && typeof d !== 'string') throw new Error('TICKET_SIGNING_JWK: bad d');
  return d === undefined ? { kid, x } : { kid, x, d };
}

async function importKey(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, ALG);
  if (key instanceof Uint8Array) throw new Error('TICKET_SIGNING_JWK: not an asymmetric key');
  return key;
}

function idBody(id: string, prefix: string): string {
  const body = id.slice(prefix.length);
  if (!id.startsWith(prefix) || !ID_BODY.test(body)) {
    throw new TypeError(`not a ${prefix}… id: ${JSON.stringify(id)}`);
  }
  return body;
}

function parseClaims(payload: Uint8Array): TicketClaims | null {
  const value: unknown = JSON.parse(new TextDecoder().decode(payload));
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return null;
  const [ticket, event, flag]: unknown[] = value;
  if (typeof ticket !== 'string' || typeof event !== 'string') return null;
  if (!ID_BODY.test(ticket) || !ID_BODY.test(event)) return null;
  if (value.length === 3 && flag !== TEST_CLAIM) return null;
  const claims = { ticketId: TICKET_PREFIX + ticket, eventId: EVENT_PREFIX + event };
  return value.length === 3 ? { ...claims, test: true } : claims;
}

/**
 * Signs the code printed in a ticket's QR code with the current key.
 * Throws a TypeError when an id is not a `tkt_` / `evt_` id (a bug in the caller).
 */
export async function signTicketCode(env: Env, claims: TicketClaims): Promise<string> {
  const payload = JSON.stringify([
    idBody(claims.ticketId, TICKET_PREFIX),
    idBody(claims.eventId, EVENT_PREFIX),
    ...(claims.test ? [TEST_CLAIM] : []),
  ]);
  const ring = await keyRing(env);
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: ALG, kid: ring.kid })
    .sign(ring.signingKey);
}

/**
 * Verifies a scanned ticket code. Returns its claims, or null when the code is malformed,
 * tampered with, signed by a key we do not know, or not a ticket code. Never throws on bad
 * input; it does throw when `TICKET_SIGNING_JWK` itself is broken, so a misconfigured key
 * fails loudly instead of turning every ticket at the door into "invalid".
 */
export async function verifyTicketCode(env: Env, code: string): Promise<TicketClaims | null> {
  if (typeof code !== 'string' || code.length > MAX_CODE_LENGTH || !COMPACT_JWS.test(code)) {
    return null;
  }
  const ring = await keyRing(env);
  try {
    const { payload } = await compactVerify(
      code,
      ({ kid }) => {
        const key = kid === undefined ? undefined : ring.verifyKeys.get(kid);
        if (!key) throw new Error('unknown kid');
        return key;
      },
      { algorithms: [ALG] },
    );
    return parseClaims(payload);
  } catch {
    return null;
  }
}

/** The public verification keys (never `d`), served at `/.well-known/jwks.json`. */
export async function publicJwks(env: Env): Promise<JSONWebKeySet> {
  const ring = await keyRing(env);
  // Copies, so a caller that decorates the response cannot change the cached keys.
  return { keys: ring.jwks.map((k) => ({ ...k })) };
}
