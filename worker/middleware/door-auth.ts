import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { problem, unauthorized } from '../domain/errors';
import { deviceForToken, touchDevice } from '../door/devices';
import { bearerToken } from '../http/bearer';
import { problemResponse } from '../http/problem';

/** Seconds a device waits after a 429 (the limiters' periods, wrangler.toml). */
const RETRY_AFTER = { scan: 10, bundle: 60 } as const;

/**
 * `Authorization: Bearer dev_…`: a paired door device. The device is read from D1 on every
 * request, so a revoked one is refused at once. Requests are rate limited per device; the
 * offline bundle (every ticket of the event) has its own, tighter limit.
 */
export const doorAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c);
  if (!token) throw unauthorized('Send a door device token as `Authorization: Bearer dev_…`.');
  const device = await deviceForToken(c.get('db'), token);
  if (!device) throw unauthorized('The device token is not valid, or the device was revoked.');
  const bundle = c.req.path.endsWith('/bundle');
  const limiter = bundle ? c.env.DOOR_BUNDLE_LIMITER : c.env.DOOR_LIMITER;
  const { success } = await limiter.limit({ key: device.id });
  if (!success) {
    const retryAfter = bundle ? RETRY_AFTER.bundle : RETRY_AFTER.scan;
    const refusal = problem(
      'rate_limited',
      'Too many requests from this device; try again shortly.',
    );
    const response = problemResponse(refusal, c.get('requestId'));
    response.headers.set('retry-after', String(retryAfter));
    return response;
  }
  c.set('device', device);
  await next();
  if (c.res.status < 400) c.executionCtx.waitUntil(touchDevice(c.get('db'), device, Date.now()));
});
