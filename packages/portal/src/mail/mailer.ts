/**
 * The portal's outgoing mail. Every mail is recorded in `portal_mails`; with SMTP settings it is
 * also delivered by `sendSmtp` (a failure is PORTAL_MAIL_FAILED and the caller undoes what the mail
 * was about). In 'mailbox' mode (the demo) nothing leaves the machine: the portal's mailbox page
 * lists the recorded mails.
 */
import type { Store } from '@onshi/central';
import type { Clock } from '@onshi/core';
import { type MailMessage, type SmtpSettings, sendSmtp } from './smtp.ts';

export interface SentMail {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly transport: 'smtp' | 'mailbox';
  readonly sentAt: string;
}

export interface Mailer {
  readonly mode: 'smtp' | 'mailbox';
  send(message: MailMessage): Promise<void>;
  /** Recorded mails, newest first (the mailbox page). */
  list(limit?: number): Promise<SentMail[]>;
}

export function createMailer(deps: {
  readonly store: Store;
  readonly clock: Clock;
  readonly smtp: SmtpSettings | 'mailbox';
}): Mailer {
  const { store, clock, smtp } = deps;
  const mode = smtp === 'mailbox' ? 'mailbox' : 'smtp';
  return {
    mode,
    async send(message) {
      if (smtp !== 'mailbox') await sendSmtp(smtp, message, clock.now());
      await store.run(
        'insert into portal_mails (recipient, subject, body, transport, sent_at) values (?, ?, ?, ?, ?)',
        [message.to, message.subject, message.text, mode, clock.now().toISOString()],
      );
    },
    async list(limit = 100) {
      return store.all<SentMail>(
        `select mail_id as id, recipient as "to", subject, body as text, transport, sent_at as "sentAt"
         from portal_mails order by mail_id desc limit ?`,
        [limit],
      );
    },
  };
}
