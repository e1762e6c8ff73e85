import { Hono } from 'hono';
import { consumeMagicLink, isMagicLinkToken } from '../../access/magic-links';
import { createSession, revokeSession } from '../../access/sessions';
import {
  completeSignIn,
  linkOrigin,
  sendSignInLink,
  signInForm,
  withinSignInLimits,
} from '../../access/sign-in';
import {
  clearSessionCookie,
  type DashboardEnv,
  requireSession,
  SIGN_IN_PATH,
  setSessionCookie,
} from '../../middleware/dashboard-session';
import {
  CheckEmailPage,
  ConfirmLinkPage,
  LinkInvalidPage,
  MessagePage,
  SignInPage,
} from '../../views/dashboard/auth-pages';
import { formFields, parseForm } from './shared';

const UNKNOWN_CLIENT = 'unknown';

/** Sign-in and sign-up by magic link, the link's landing, sign-out. */
export const authRoutes = new Hono<DashboardEnv>();

authRoutes.get('/sign-in', (c) => c.html(<SignInPage />));

authRoutes.post('/sign-in', async (c) => {
  const fields = await formFields(c);
  const form = parseForm(signInForm, fields);
  if (!form.ok) {
    const email = typeof fields.email === 'string' ? fields.email : '';
    return c.html(<SignInPage email={email} errors={form.errors} />, 422);
  }
  const { email } = form.data;
  const client = c.req.header('cf-connecting-ip') ?? UNKNOWN_CLIENT;
  if (!(await withinSignInLimits(c.env, client, email))) {
    return c.html(
      <MessagePage
        title="Too many requests"
        message="Too many sign-in links were asked for. Wait a minute, then try again."
        link={[SIGN_IN_PATH, 'Back to sign-in']}
      />,
      429,
    );
  }
  // After the answer: known, unknown and refused addresses get the same answer in the same time.
  const origin = linkOrigin(c.env, c.req.url);
  c.executionCtx.waitUntil(
    sendSignInLink(c.env, c.get('db'), email, origin).catch((error: unknown) => {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'sign_in_link_failed',
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }),
  );
  return c.redirect('/dashboard/check-email', 303);
});

authRoutes.get('/check-email', (c) => c.html(<CheckEmailPage />));

/** The link in the mail. Opening it changes nothing; the button below uses it. */
authRoutes.get('/auth', (c) => {
  const token = c.req.query('token') ?? '';
  if (!isMagicLinkToken(token)) return c.html(<LinkInvalidPage />, 400);
  return c.html(<ConfirmLinkPage token={token} />);
});

authRoutes.post('/auth', async (c) => {
  const fields = await formFields(c);
  const token = typeof fields.token === 'string' ? fields.token : '';
  const db = c.get('db');
  const link = await consumeMagicLink(db, token);
  const signedIn = link ? await completeSignIn(db, link) : null;
  if (!signedIn) return c.html(<LinkInvalidPage />, 400);
  const session = await createSession(db, {
    personId: signedIn.personId,
    organizerId: signedIn.organizerId,
    userAgent: c.req.header('user-agent'),
  });
  await setSessionCookie(c, c.env, session.id, session.expiresAt);
  return c.redirect(signedIn.organizerId ? '/dashboard' : '/dashboard/workspaces', 303);
});

authRoutes.post('/sign-out', requireSession, async (c) => {
  await revokeSession(c.get('db'), c.get('session').id);
  clearSessionCookie(c);
  return c.redirect(SIGN_IN_PATH, 303);
});
