/**
 * Fresh local values for the Worker's secrets, in the formats the Worker expects. One
 * implementation for `npm run dev` (.dev.vars), the bench, the browser tests and the
 * Workers-runtime tests; production secrets are made by hand (README, Deploy).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A fresh Ed25519 private key as one-line JWK JSON with its `kid`: TICKET_SIGNING_JWK.
 * @param {string} kid
 */
export function signingJwk(kid) {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid });
}

/**
 * A fresh value for one secret. A secret without a format of its own gets 32 random bytes in
 * hex, what the HMAC keys (ORDER_TOKEN_SECRET, QUEUE_TOKEN_SECRET) take.
 * @param {string} name
 * @param {{ kid?: string }} [options] the signing key's `kid` (default `local-<random>`)
 */
export function localSecret(name, { kid } = {}) {
  switch (name) {
    case 'TICKET_SIGNING_JWK':
      return signingJwk(kid ?? `local-${randomBytes(4).toString('hex')}`);
    case 'SANDBOX_WEBHOOK_SECRET':
      return `whsec_${randomBytes(24).toString('hex')}`;
    default:
      return randomBytes(32).toString('hex');
  }
}

/**
 * Fresh values for all the named secrets.
 * @param {readonly string[]} names
 * @param {{ kid?: string }} [options]
 * @returns {Record<string, string>}
 */
export function localSecrets(names, options = {}) {
  return Object.fromEntries(names.map((name) => [name, localSecret(name, options)]));
}
