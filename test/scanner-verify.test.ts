import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { PublicJwk } from '../scanner/src/types';
import { verifyCode } from '../scanner/src/verify';
import { publicJwks, signTicketCode } from '../worker/tickets/codes';

/**
 * The door scanner's own check of a ticket code (scanner/src/verify.ts, WebCrypto) against
 * codes the server signs, with the keys the offline bundle carries (the JWKS).
 */

const claims = { ticketId: 'tkt_abc123', eventId: 'evt_def456' };
const keys = async () => (await publicJwks(env)).keys as PublicJwk[];
const base64url = (text: string) =>
  btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('verifyCode on the device', () => {
  it('accepts a code the server signed, with its ticket, event and test flag', async () => {
    const jwks = await keys();
    expect(await verifyCode(await signTicketCode(env, claims), jwks)).toEqual({
      ...claims,
      test: false,
    });
    const test = await signTicketCode(env, { ...claims, test: true });
    expect(await verifyCode(test, jwks)).toEqual({ ...claims, test: true });
  });

  it('refuses a tampered signature, a changed payload, an unknown key and garbage', async () => {
    const jwks = await keys();
    const code = await signTicketCode(env, claims);
    const [head, body, sig = ''] = code.split('.');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    expect(await verifyCode(`${head}.${body}.${flipped}`, jwks)).toBeNull();
    const otherTicket = base64url('["abc124","def456"]');
    expect(await verifyCode(`${head}.${otherTicket}.${sig}`, jwks)).toBeNull();
    expect(
      await verifyCode(
        code,
        jwks.map((k) => ({ ...k, kid: 'other' })),
      ),
    ).toBeNull();
    expect(await verifyCode(code, [])).toBeNull();
    expect(await verifyCode('not a code', jwks)).toBeNull();
    expect(await verifyCode(`${code}x`, jwks)).toBeNull();
  });
});
