import { isDevelopment, optionalSetting } from '../config';
import type { Db } from '../db/client';
import { mailOutbox } from '../db/schema';
import { newId } from '../domain/ids';

/** One email, named by the business key of the notification it delivers. */
export interface Mail {
  /** Idempotency key: the same key is never delivered twice. */
  messageKey: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Sends mail. Throws when the mail was not accepted, so the queue retries it. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Development and tests: mails land in the D1 table `mail_outbox`, shown at `/dev/outbox`.
 * The unique message key turns a redelivery into a no-op.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly db: Db) {}

  async send(mail: Mail): Promise<void> {
    await this.db
      .insert(mailOutbox)
      .values({
        id: newId('mail'),
        messageKey: mail.messageKey,
        toAddress: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
      })
      .onConflictDoNothing({ target: mailOutbox.messageKey });
  }
}

export const RESEND_ENDPOINT = 'https://api.resend.com/emails';

/** The mail API answered with an error; the message is retried by the queue. */
export class MailApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Mail API answered ${status}: ${detail}`);
    this.name = 'MailApiError';
  }
}

/**
 * Deployments: Resend's HTTP API over fetch. The message key goes out as `Idempotency-Key`,
 * so a retry after a lost answer (timeout, crash before we recorded the delivery) is
 * dropped by Resend rather than sent twice (Resend keeps keys for 24 hours).
 */
export class ResendMailer implements Mailer {
  constructor(
    private readonly options: { apiKey: string; from: string; timeoutMs?: number | undefined },
  ) {}

  async send(mail: Mail): Promise<void> {
    const response = await fetch(RESEND_ENDPOINT, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': mail.messageKey,
      },
      body: JSON.stringify({
        from: this.options.from,
        to: [mail.to],
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
      }),
      // A hung API must not hold the whole batch; the retry reuses the idempotency key.
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    const body = await response.text();
    // Any 4xx/5xx throws: the queue retries with backoff and dead-letters after max_retries.
    if (!response.ok) throw new MailApiError(response.status, body.slice(0, 300));
  }
}

let warnedOutboxOutsideDevelopment = false;

/**
 * The mailer for this environment: Resend when `MAIL_API_KEY` is set (then `MAIL_FROM`, e.g.
 * `Tessera <tickets@example.com>`, is required), else the D1 outbox.
 */
export function mailerFor(env: Env, db: Db): Mailer {
  const apiKey = optionalSetting(env, 'MAIL_API_KEY');
  if (apiKey) {
    const from = optionalSetting(env, 'MAIL_FROM');
    if (!from) throw new Error('MAIL_FROM must be set when MAIL_API_KEY is set.');
    return new ResendMailer({ apiKey, from });
  }
  if (!isDevelopment(env) && !warnedOutboxOutsideDevelopment) {
    // Outside development no buyer would ever see these mails: say so once per isolate.
    warnedOutboxOutsideDevelopment = true;
    console.warn(
      JSON.stringify({
        level: 'warn',
        message: 'MAIL_API_KEY is not set: mails go to the D1 outbox only',
        environment: env.ENVIRONMENT,
      }),
    );
  }
  return new OutboxMailer(db);
}
