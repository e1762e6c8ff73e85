import { env } from 'cloudflare:test';
import { base64url, CompactSign, compactVerify, createLocalJWKSet, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { publicJwks, signTicketCode, verifyTicketCode } from './codes';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An id shaped like the real ones: prefix + 20 random [0-9a-z]. */
function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return prefix + Array.from(bytes, (b) => ALPHABET[b % 36]).join('');
}

function claims() {
  return { ticketId: randomId('tkt_'), eventId: randomId('evt_') };
}

/** A fresh Ed25519 private JWK, as `TICKET_SIGNING_JWK` holds it. */
async function newJwk(kid: string): Promise<JsonWebKey & { kid: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  return { ...jwk, kid };
}

function withKeys(value: unknown): Env {
  return { ...env, TICKET_SIGNING_JWK: JSON.stringify(value) };
}

/** Replaces the character at `index` with a different base64url character. */
function flip(code: string, index: number): string {
  const c = code[index] === 'A' ? 'B' : 'A';
  return code.slice(0, index) + c + code.slice(index + 1);
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('ticket codes', () => {
  it('round-trips the claims', async () => {
    const c = claims();
    const code = await signTicketCode(env, c);
    expect(await verifyTicketCode(env, code)).toEqual(c);
  });

  it('is a compact JWS with a small payload and an EdDSA header with the kid', async () => {
    const c = claims();
    const [header, payload, signature] = (await signTicketCode(env, c)).split('.');
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(header ?? '')))).toEqual({
      alg: 'EdDSA',
      kid: 'test-key',
    });
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? '')))).toEqual([
      c.ticketId.slice(4),
      c.eventId.slice(4),
    ]);
    expect(signature).toHaveLength(86);
  });

  it('stays under 200 characters for realistic ids', async () => {
    for (let i = 0; i < 20; i++) {
      const code = await signTicketCode(env, claims());
      expect(code.length).toBeLessThan(200);
    }
  });

  it('rejects a flipped character in the header, payload or signature', async () => {
    const code = await signTicketCode(env, claims());
    const [header = '', payload = ''] = code.split('.');
    const sigStart = header.length + payload.length + 2;
    for (const index of [5, header.length + 10, sigStart + 10, sigStart + 60]) {
      expect(await verifyTicketCode(env, flip(code, index))).toBeNull();
    }
    // The last signature character has 4 unused bits: a variant that decodes to the same
    // signature bytes must still be refused, or codes would be malleable.
    const last = BASE64URL.indexOf(code.at(-1) ?? '');
    const lastBitsOnly = code.slice(0, -1) + BASE64URL[last + 1];
    expect(base64url.decode(lastBitsOnly.split('.')[2] ?? '')).toEqual(
      base64url.decode(code.split('.')[2] ?? ''),
    );
    expect(await verifyTicketCode(env, lastBitsOnly)).toBeNull();
  });

  it('rejects a code signed by another key, under a known or an unknown kid', async () => {
    const c = claims();
    for (const kid of ['test-key', 'other-key']) {
      const code = await signTicketCode(withKeys(await newJwk(kid)), c);
      expect(await verifyTicketCode(env, code)).toBeNull();
    }
  });

  it('returns null for garbage, never throwing', async () => {
    const inputs: unknown[] = [
      '',
      'garbage',
      'a.b.c',
      '...',
      `${'A'.repeat(5000)}.${'A'.repeat(5000)}.${'A'.repeat(86)}`,
      'eyJhbGciOiJFZERTQSJ9.e30',
      ' '.repeat(300),
      null,
      undefined,
      42,
    ];
    for (const input of inputs) {
      expect(await verifyTicketCode(env, input as string)).toBeNull();
    }
  });

  it('rejects alg none and HS512 keyed with the public key (algorithm confusion)', async () => {
    const c = claims();
    const payload = encode([c.ticketId.slice(4), c.eventId.slice(4)]);
    const none = `${encode({ alg: 'none', kid: 'test-key' })}.${payload}.`;
    expect(await verifyTicketCode(env, none)).toBeNull();
    // Same length as a real signature, so it gets past the shape check to jose.
    expect(await verifyTicketCode(env, none + 'A'.repeat(86))).toBeNull();

    const [jwk] = (await publicJwks(env)).keys;
    // HS512 gives a 64-byte MAC, the size of an Ed25519 signature.
    for (const secret of [base64url.decode(jwk?.x ?? ''), JSON.stringify(jwk)]) {
      const forged = await new CompactSign(base64url.decode(payload))
        .setProtectedHeader({ alg: 'HS512', kid: 'test-key' })
        .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
      expect(forged.split('.')[2]).toHaveLength(86);
      expect(await verifyTicketCode(env, forged)).toBeNull();
    }
  });

  it('rejects a validly signed payload of the wrong shape', async () => {
    const jwk = JSON.parse(env.TICKET_SIGNING_JWK) as JsonWebKey & { kid: string };
    const key = await importJWK(jwk, 'EdDSA');
    const shapes: unknown[] = [
      { t: 'abc', e: 'def' },
      ['abc'],
      ['abc', 'def', 'ghi'],
      ['abc', 'def', true],
      ['abc', 'def', 'test', 'test'],
      ['ABC', 'def'],
      ['tkt_abc', 'def'],
      ['abc', 7],
      'abc.def',
    ];
    for (const shape of shapes) {
      const code = await new CompactSign(new TextEncoder().encode(JSON.stringify(shape)))
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key' })
        .sign(key);
      expect(code).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{86}$/);
      expect(await verifyTicketCode(env, code)).toBeNull();
    }
  });

  it('carries the test flag of a test-mode ticket, and only then (backward compatible)', async () => {
    const live = claims();
    const liveCode = await signTicketCode(env, live);
    expect(await verifyTicketCode(env, liveCode)).toEqual(live);
    const test = { ...claims(), test: true };
    const testCode = await signTicketCode(env, test);
    expect(await verifyTicketCode(env, testCode)).toEqual(test);
    const payload = JSON.parse(
      new TextDecoder().decode(base64url.decode(testCode.split('.')[1] ?? '')),
    );
    expect(payload).toEqual([test.ticketId.slice(4), test.eventId.slice(4), 'test']);
    // A realistic test ticket still fits a small QR code.
    expect(testCode.length).toBeLessThan(215);
  });

  it('refuses to sign ids without their prefix', async () => {
    await expect(signTicketCode(env, { ticketId: 'abc', eventId: 'evt_abc' })).rejects.toThrow(
      TypeError,
    );
    await expect(signTicketCode(env, { ticketId: 'tkt_abc', eventId: 'tkt_abc' })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('public JWKS', () => {
  it('holds only public parts and verifies a code offline with jose', async () => {
    const jwks = await publicJwks(env);
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: 'test-key',
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(JSON.stringify(jwks)).not.toContain('"d"');

    const c = claims();
    const code = await signTicketCode(env, c);
    const { payload, protectedHeader } = await compactVerify(code, createLocalJWKSet(jwks));
    expect(protectedHeader.kid).toBe('test-key');
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual([
      c.ticketId.slice(4),
      c.eventId.slice(4),
    ]);
  });

  it('supports rotation: the first key signs, every listed key verifies', async () => {
    const current = await newJwk('k2');
    const previous = await newJwk('k1');
    const { d: _d, ...previousPublic } = previous;
    const oldEnv = withKeys(previous);
    const rotated = withKeys([current, previousPublic]);

    const c = claims();
    const oldCode = await signTicketCode(oldEnv, c);
    const newCode = await signTicketCode(rotated, c);
    expect(newCode.startsWith(encode({ alg: 'EdDSA', kid: 'k2' }))).toBe(true);
    expect(await verifyTicketCode(rotated, oldCode)).toEqual(c);
    expect(await verifyTicketCode(rotated, newCode)).toEqual(c);
    expect(await verifyTicketCode(oldEnv, newCode)).toBeNull();

    const { keys } = await publicJwks(rotated);
    expect(keys.map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('fails loudly on a broken secret instead of calling every ticket invalid', async () => {
    const { d: _d, ...publicOnly } = await newJwk('k1');
    await expect(verifyTicketCode(withKeys(publicOnly), 'a.b.c')).resolves.toBeNull();
    const code = await signTicketCode(env, claims());
    await expect(verifyTicketCode(withKeys(publicOnly), code)).rejects.toThrow(/private/);
    await expect(verifyTicketCode({ ...env, TICKET_SIGNING_JWK: 'nope' }, code)).rejects.toThrow(
      /not valid JSON/,
    );
  });
});
