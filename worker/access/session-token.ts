import { jwtVerify, SignJWT } from 'jose';

/**
 * The session cookie's value: a jose-signed (HS256, SESSION_SECRET) token naming a session
 * row in D1. The row decides whether the session still lives (revocation, sliding expiry);
 * the signature only keeps anyone from guessing or forging row ids.
 */
export const SESSION_COOKIE = '__Host-tessera_session';

const ISSUER = 'tessera';
/** Whom a session token is for: a dashboard token never opens "My tickets", nor the reverse. */
export type SessionAudience = 'tessera-dashboard' | 'tessera-buyer';
const AUDIENCE: SessionAudience = 'tessera-dashboard';
const encoder = new TextEncoder();

function key(env: Env): Uint8Array {
  if (!env.SESSION_SECRET) throw new Error('SESSION_SECRET is not set.');
  return encoder.encode(env.SESSION_SECRET);
}

export async function signSessionToken(
  env: Env,
  sessionId: string,
  expiresAt: Date,
  audience: SessionAudience = AUDIENCE,
): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key(env));
}

/** The session id the token names, or null when it is not ours or has run out. */
export async function verifySessionToken(
  env: Env,
  token: string,
  audience: SessionAudience = AUDIENCE,
): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key(env), {
      issuer: ISSUER,
      audience,
      algorithms: ['HS256'],
    });
    return typeof payload.sid === 'string' ? payload.sid : null;
  } catch {
    return null;
  }
}
