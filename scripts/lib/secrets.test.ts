import { createPrivateKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { localSecret, localSecrets } from './secrets.mjs';
import { readWranglerConfig, requiredSecretNames } from './wrangler.mjs';

describe('local secrets', () => {
  test('cover every secret wrangler.toml requires', async () => {
    const required = requiredSecretNames(await readWranglerConfig());
    expect(required).toContain('TICKET_SIGNING_JWK');
    expect(Object.keys(localSecrets(required)).sort()).toEqual([...required].sort());
  });

  test('TICKET_SIGNING_JWK is an Ed25519 private JWK with the given kid', () => {
    const jwk = JSON.parse(localSecret('TICKET_SIGNING_JWK', { kid: 'k1' }));
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'k1' });
    expect(createPrivateKey({ key: jwk, format: 'jwk' }).asymmetricKeyType).toBe('ed25519');
  });

  test('the webhook secret looks like a Stripe one; the HMAC keys are 32 random bytes', () => {
    expect(localSecret('SANDBOX_WEBHOOK_SECRET')).toMatch(/^whsec_[0-9a-f]{48}$/);
    const a = localSecret('ORDER_TOKEN_SECRET');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(localSecret('ORDER_TOKEN_SECRET')).not.toBe(a);
  });
});
