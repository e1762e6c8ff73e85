import type { PublicJwk } from './types';

/**
 * Ticket codes checked on the device, as worker/tickets/codes.ts checks them on the server: a
 * compact JWS (EdDSA, Ed25519) whose payload is `["<ticket>","<event>"]` (ids without their
 * prefixes), with `"test"` as a third element for a test-mode ticket. WebCrypto verifies the
 * signature against the event's public keys (JWKS) from the offline bundle.
 */

export interface Claims {
  ticketId: string;
  eventId: string;
  test: boolean;
}

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]{85}[AQgw]$/;
const ID_BODY = /^[0-9a-z]{1,64}$/;
const MAX_CODE_LENGTH = 1024;

const keys = new Map<string, Promise<CryptoKey | null>>();

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function jsonOf(segment: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(base64urlBytes(segment)));
  } catch {
    return null;
  }
}

function publicKey(jwk: PublicJwk): Promise<CryptoKey | null> {
  const id = `${jwk.kid}:${jwk.x}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, [
        'verify',
      ])
      .catch(() => null);
    keys.set(id, key);
  }
  return key;
}

function claimsOf(payload: unknown): Claims | null {
  if (!Array.isArray(payload) || payload.length < 2 || payload.length > 3) return null;
  const [ticket, event, flag]: unknown[] = payload;
  if (typeof ticket !== 'string' || typeof event !== 'string') return null;
  if (!ID_BODY.test(ticket) || !ID_BODY.test(event)) return null;
  if (payload.length === 3 && flag !== 'test') return null;
  return { ticketId: `tkt_${ticket}`, eventId: `evt_${event}`, test: payload.length === 3 };
}

/** The code's claims, or null: malformed, tampered with, or signed by a key not in `jwks`. */
export async function verifyCode(code: string, jwks: PublicJwk[]): Promise<Claims | null> {
  if (code.length > MAX_CODE_LENGTH || !COMPACT_JWS.test(code)) return null;
  const [head = '', body = '', signature = ''] = code.split('.');
  const header = jsonOf(head);
  if (typeof header !== 'object' || header === null) return null;
  const { alg, kid } = header as Record<string, unknown>;
  if (alg !== 'EdDSA' || typeof kid !== 'string') return null;
  const jwk = jwks.find((k) => k.kid === kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk?.x) return null;
  const key = await publicKey(jwk);
  if (!key) return null;
  const signed = new TextEncoder().encode(`${head}.${body}`);
  const ok = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    base64urlBytes(signature),
    signed,
  );
  return ok ? claimsOf(jsonOf(body)) : null;
}
