import type { MagicLinkMessage } from '../consumers/messages';
import type { RenderedMail } from './templates';

/**
 * The dashboard's sign-in, sign-up and invitation mails. Plain and short: the link is the
 * whole point, and it works once within 15 minutes.
 */

const FONT = 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
const BUTTON =
  'display:inline-block;background:#3b3bd6;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600';

function wording(message: MagicLinkMessage): { subject: string; intro: string; action: string } {
  switch (message.purpose) {
    case 'sign_in':
      return {
        subject: 'Your Tessera sign-in link',
        intro: 'Use this link to sign in to your Tessera dashboard.',
        action: 'Sign in',
      };
    case 'sign_up':
      return {
        subject: 'Confirm your email for Tessera',
        intro: 'Use this link to confirm your email and set up your workspace on Tessera.',
        action: 'Confirm and continue',
      };
    case 'buyer':
      return {
        subject: 'Your tickets',
        intro: 'Use this link to see every order and ticket bought with this email address.',
        action: 'Show my tickets',
      };
    case 'invite': {
      const name = (message.workspaceName ?? 'a workspace').replace(/\s+/g, ' ').trim();
      return {
        subject: `You are invited to ${name} on Tessera`,
        intro: `You have been invited to join ${name} on Tessera.`,
        action: 'Accept the invitation',
      };
    }
  }
}

export async function magicLinkMail(message: MagicLinkMessage): Promise<RenderedMail> {
  const { subject, intro, action } = wording(message);
  const note =
    'The link works once and expires in 15 minutes. If you did not ask for it, ignore this mail.';
  const html = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style={`margin:0;padding:24px;background:#f6f7f9;${FONT};color:#16181d`}>
        <div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e3e5ea;border-radius:12px;padding:24px">
          <h1 style="font-size:22px;margin:0 0 12px">{subject}</h1>
          <p>{intro}</p>
          <p>
            <a href={message.url} style={BUTTON}>
              {action}
            </a>
          </p>
          <p style="color:#5b6170;font-size:14px">{note}</p>
        </div>
      </body>
    </html>
  );
  return {
    subject,
    html: `<!DOCTYPE html>${await html.toString()}`,
    text: `${intro}\n\n${action}: ${message.url}\n\n${note}\n`,
  };
}

export function isMagicLinkMessage(body: unknown): body is MagicLinkMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  return (
    m.kind === 'magic_link' &&
    typeof m.linkId === 'string' &&
    typeof m.to === 'string' &&
    typeof m.url === 'string' &&
    (m.purpose === 'sign_in' ||
      m.purpose === 'sign_up' ||
      m.purpose === 'invite' ||
      m.purpose === 'buyer')
  );
}
