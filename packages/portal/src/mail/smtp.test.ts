import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCaDirectory, privateKeyPem } from '@onshi/pki';
import { startTestSmtpServer } from '../test/smtp-server.ts';
import { dataSection, encodeHeader, sendSmtp } from './smtp.ts';

const message = {
  to: 'clinic@example.jp',
  subject: 'メールアドレスの確認',
  text: '次のリンクを開いてください。\n.先頭がドットの行\nhttp://127.0.0.1/#/verify?token=abc',
};

describe('SMTP client against an SMTP server', () => {
  let tls: { key: string; cert: string; ca: string };
  const dir = mkdtempSync(join(tmpdir(), 'onshi-smtp-'));

  before(async () => {
    writeFileSync(join(dir, 'pass'), 'smtp-test-passphrase-123\n');
    const ca = await createCaDirectory(join(dir, 'ca'), join(dir, 'pass'));
    const server = await ca.issueServerCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    tls = { key: privateKeyPem(server.privateKey), cert: server.certificate.toString(), ca: ca.bundlePem };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers a UTF-8 message in plain SMTP, dot-stuffed, with an encoded subject', async () => {
    const server = await startTestSmtpServer();
    try {
      await sendSmtp({ host: '127.0.0.1', port: server.port, from: 'portal@onshi.example' }, message);
      assert.equal(server.received.length, 1);
      const mail = server.received[0]!;
      assert.equal(mail.from, 'portal@onshi.example');
      assert.deepEqual(mail.to, ['clinic@example.jp']);
      assert.equal(mail.tls, false);
      assert.equal(mail.headers.subject, encodeHeader(message.subject));
      assert.equal(mail.text, message.text);
    } finally {
      await server.close();
    }
  });

  it('upgrades with STARTTLS and authenticates with AUTH PLAIN', async () => {
    const server = await startTestSmtpServer({ tls, auth: { user: 'portal', password: 's3cret' } });
    try {
      await sendSmtp(
        {
          host: '127.0.0.1',
          port: server.port,
          from: 'portal@onshi.example',
          security: 'starttls',
          ca: tls.ca,
          user: 'portal',
          password: 's3cret',
        },
        message,
      );
      assert.equal(server.received[0]?.tls, true);
      assert.equal(server.received[0]?.auth, 'portal');
    } finally {
      await server.close();
    }
  });

  it('reports refusals with PORTAL_MAIL_FAILED and the server reply', async () => {
    const server = await startTestSmtpServer({
      rejectRecipient: 'nobody@example.jp',
      auth: { user: 'a', password: 'b' },
    });
    try {
      const settings = { host: '127.0.0.1', port: server.port, from: 'portal@onshi.example' };
      await assert.rejects(
        sendSmtp({ ...settings, user: 'a', password: 'wrong' }, message),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'PORTAL_MAIL_FAILED');
          assert.match(error.message, /AUTH: 535/);
          return true;
        },
      );
      await assert.rejects(
        sendSmtp({ ...settings, user: 'a', password: 'b' }, { ...message, to: 'nobody@example.jp' }),
        /RCPT TO: 550/,
      );
      await assert.rejects(sendSmtp({ ...settings, security: 'starttls' }, message), /STARTTLS not offered/);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  it('fails with PORTAL_MAIL_FAILED when nothing listens', async () => {
    const server = await startTestSmtpServer();
    const port = server.port;
    await server.close();
    await assert.rejects(sendSmtp({ host: '127.0.0.1', port, from: 'p@x.example' }, message), {
      code: 'PORTAL_MAIL_FAILED',
    });
  });

  it('dot-stuffs lines that start with a dot', () => {
    assert.equal(dataSection('a\r\n.b\r\n..c'), 'a\r\n..b\r\n...c\r\n.\r\n');
  });
});
