import { base64url, constantTimeEqual, hmacSha256Key } from '../domain/crypto';

/**
 * The buyer's key to an order: HMAC-SHA256(ORDER_TOKEN_SECRET, order id), base64url. Derived
 * rather than stored, so a replayed checkout can hand back the same token and nothing
 * secret sits in D1.
 */
export async function orderTokenFor(env: Env, orderId: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacSha256Key(env.ORDER_TOKEN_SECRET),
    new TextEncoder().encode(`order:${orderId}`),
  );
  return base64url(mac);
}

export async function isOrderToken(env: Env, orderId: string, token: string): Promise<boolean> {
  return constantTimeEqual(await orderTokenFor(env, orderId), token);
}
