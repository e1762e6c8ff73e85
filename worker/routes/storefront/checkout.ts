import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env';
import { problem } from '../../domain/errors';
import { plainTextProblem } from '../../domain/plain-text';
import { publicOrigin } from '../../http/bearer';
import { valid } from '../../http/validate';
import { requestClientKey } from '../../limits/client-key';
import { checkout } from '../../orders/checkout';

/** The buyer's name goes on tickets, emails and the organizer's lists: plain text only. */
function noControls(text: string, ctx: z.RefinementCtx): void {
  const problem = plainTextProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

export const checkoutSchema = z
  .object({
    holdId: z.string().min(1).max(100),
    buyer: z
      .object({
        name: z.string().trim().min(1, 'Enter your name').max(200).superRefine(noControls),
        email: z.email('Enter a valid email address').max(254).superRefine(noControls),
      })
      .strict(),
    promoCode: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const checkoutRoutes = new Hono<AppEnv>();

checkoutRoutes.post('/checkout', valid('json', checkoutSchema), async (c) => {
  const key = c.req.header('idempotency-key');
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw problem(
      'idempotency_key_required',
      'Send a client-chosen `Idempotency-Key` header (1-255 visible ASCII characters) so a retry never creates a second order.',
    );
  }
  const { created, response } = await checkout(
    { env: c.env, db: c.get('db'), origin: publicOrigin(c), clientKey: requestClientKey(c) },
    key,
    c.req.valid('json'),
  );
  return c.json(response, created ? 201 : 200);
});
