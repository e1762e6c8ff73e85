import { desc, eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { issueMagicLink } from '../access/magic-links';
import type { AppEnv } from '../app-env';
import { isDevelopment } from '../config';
import { mailOutbox, people } from '../db/schema';
import { notFound } from '../domain/errors';
import { securityHeaders } from '../middleware/security-headers';
import { Layout } from '../views/layout';

/** Development tools, mounted at `/dev`: the mail outbox of `OutboxMailer`, one-click sign-in. */
export const devRoutes = new Hono<AppEnv>();

// Mails carry order tokens: these pages exist in development only.
devRoutes.use('*', async (c, next) => {
  if (!isDevelopment(c.env)) throw notFound('page');
  await next();
});

// The page CSP, plus frames from this origin: a mail is shown from its own URL below.
devRoutes.use('*', securityHeaders({ frameSrc: ["'self'"] }));

/**
 * A mail's own HTML, for the outbox page's frame: nothing in it runs (CSP `sandbox` without
 * scripts, no script source), inline styles render as in a mail client, only this origin may
 * frame it.
 */
const MAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/**
 * One-click sign-in for `npm run dev`'s banner: a fresh sign-in link for a known person, and a
 * redirect to its landing (which still asks for the button press). Development only.
 */
devRoutes.get('/sign-in', async (c) => {
  const email = (c.req.query('email') ?? '').trim().toLowerCase();
  const db = c.get('db');
  const person = await db
    .select({ id: people.id })
    .from(people)
    .where(eq(people.email, email))
    .get();
  if (!person) throw notFound('person');
  const { token } = await issueMagicLink(db, { email, purpose: 'sign_in' });
  return c.redirect(`/dashboard/auth?token=${token}`, 303);
});

/** The newest 50 mails. */
devRoutes.get('/outbox', async (c) => {
  const mails = await c
    .get('db')
    .select({
      id: mailOutbox.id,
      to: mailOutbox.toAddress,
      subject: mailOutbox.subject,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(50)
    .all();
  const base = c.req.path; // relative to wherever the lead mounts this sub-app
  return c.html(
    <Layout title="Mail outbox" refreshSeconds={10}>
      <h1>Mail outbox</h1>
      <p class="muted">Mails sent in development land here instead of an inbox. Newest first.</p>
      {mails.length === 0 ? (
        <p class="card">No mail yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>To</th>
              <th>Subject</th>
              <th>Time</th>
            </tr>
          </thead>
          <tbody>
            {mails.map((mail) => (
              <tr>
                <td>{mail.to}</td>
                <td>
                  <a href={`${base}/${mail.id}`}>{mail.subject}</a>
                </td>
                <td>
                  <time datetime={mail.createdAt}>
                    {mail.createdAt.replace('T', ' ').slice(0, 19)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>,
  );
});

async function findMail(c: Context<AppEnv>) {
  const mail = await c
    .get('db')
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.id, c.req.param('id') ?? ''))
    .get();
  if (!mail) throw notFound('mail');
  return mail;
}

/** One mail: its HTML in a sandboxed frame, and its plain text. */
devRoutes.get('/outbox/:id', async (c) => {
  const mail = await findMail(c);
  return c.html(
    <Layout title={`Mail: ${mail.subject}`}>
      <p>
        <a href={c.req.path.replace(/\/[^/]*$/, '')}>← Outbox</a>
      </p>
      <h1>{mail.subject}</h1>
      <p class="muted">
        To {mail.toAddress} · {mail.createdAt} · key <code>{mail.messageKey}</code>
      </p>
      <h2>HTML</h2>
      {/* `sandbox` without allow-scripts/allow-same-origin: nothing in the mail runs or
          reaches this origin. Popups may leave the sandbox, for clicking through links. */}
      <iframe
        title="HTML version of the mail"
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        src={`${c.req.path}/html`}
        class="frame"
      />
      <h2>Plain text</h2>
      <pre class="card wrap">{mail.text}</pre>
    </Layout>,
  );
});

/** The mail's HTML alone; links open in a new tab. */
devRoutes.get('/outbox/:id/html', async (c) => {
  const mail = await findMail(c);
  const base = '<base target="_blank">';
  c.header('content-security-policy', MAIL_CSP);
  c.header('x-frame-options', 'SAMEORIGIN');
  return c.html(
    mail.html.includes('<head>')
      ? mail.html.replace('<head>', `<head>${base}`)
      : `${base}${mail.html}`,
  );
});
