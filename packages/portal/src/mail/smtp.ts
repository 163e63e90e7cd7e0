/**
 * A small SMTP client (RFC 5321) over node:net / node:tls: EHLO, optional STARTTLS (RFC 3207) or
 * implicit TLS, optional AUTH PLAIN (RFC 4954), MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT.
 * One connection per message — the portal sends a few mails an hour. The message is UTF-8 text,
 * base64 in the body and RFC 2047 in the Subject.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { OnshiError } from '@onshi/core';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** 'starttls': plain connection upgraded by STARTTLS (required); 'tls': TLS from the start; 'none'. */
  readonly security?: 'none' | 'starttls' | 'tls' | undefined;
  /** AUTH PLAIN credentials, when the server wants them. */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Envelope and header sender. */
  readonly from: string;
  /** Name sent with EHLO (default 'onshi-portal'). */
  readonly heloName?: string | undefined;
  /** Trusted CA certificates (PEM) for TLS; default: Node's. */
  readonly ca?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** A reply: its code and its lines (without the code). */
interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** Reads SMTP replies (possibly multi-line, `250-…` then `250 …`) from a socket. */
class ReplyReader {
  #buffer = '';
  #lines: string[] = [];
  #waiting: ((reply: Reply) => void) | undefined;
  #failed: ((error: Error) => void) | undefined;
  #pending: Reply[] = [];
  #error: Error | undefined;

  attach(socket: Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#feed(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  detach(socket: Socket): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf('\r\n'); end !== -1; end = this.#buffer.indexOf('\r\n')) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), lines: this.#lines };
      this.#lines = [];
      if (this.#waiting) {
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting(reply);
      } else this.#pending.push(reply);
    }
  }

  #fail(error: Error): void {
    this.#error ??= error;
    const failed = this.#failed;
    this.#waiting = undefined;
    this.#failed = undefined;
    failed?.(error);
  }

  next(): Promise<Reply> {
    const ready = this.#pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failed = reject;
    });
  }
}

/** RFC 2047 encoded-word for a UTF-8 header value (only when it is not plain ASCII). */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The message as sent in DATA: headers, blank line, base64 body in 76-character lines. */
export function formatMessage(from: string, message: MailMessage, date: Date): string {
  const body = Buffer.from(message.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const domain = from.split('@')[1] ?? 'localhost';
  return [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}

/** Dot-stuffing (RFC 5321 4.5.2) and the terminating line. */
export function dataSection(message: string): string {
  return `${message.replace(/^\./gm, '..')}\r\n.\r\n`;
}

function refuse(step: string, reply: Reply): never {
  throw new OnshiError('PORTAL_MAIL_FAILED', { detail: `${step}: ${reply.code} ${reply.lines.join(' ')}` });
}

function assertAddress(value: string): string {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(value)) {
    throw new OnshiError('PORTAL_MAIL_FAILED', { detail: `address ${JSON.stringify(value)}` });
  }
  return value;
}

function open(settings: SmtpSettings): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const options = { host: settings.host, port: settings.port };
    const socket =
      settings.security === 'tls'
        ? tlsConnect({ ...options, servername: settings.host, ca: settings.ca }, () => resolve(socket))
        : netConnect(options, () => resolve(socket));
    socket.once('error', reject);
  });
}

function upgrade(socket: Socket, settings: SmtpSettings): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({ socket, servername: settings.host, ca: settings.ca }, () => resolve(secure));
    secure.once('error', reject);
  });
}

/** Sends one message; resolves when the server accepted it (250 after DATA). */
export async function sendSmtp(
  settings: SmtpSettings,
  message: MailMessage,
  now = new Date(),
): Promise<void> {
  const to = assertAddress(message.to);
  const from = assertAddress(settings.from);
  let socket: Socket;
  try {
    socket = await open(settings);
  } catch (error) {
    throw new OnshiError('PORTAL_MAIL_FAILED', { detail: String(error) }, { cause: error });
  }
  socket.setTimeout(settings.timeoutMs ?? 30_000, () => socket.destroy(new Error('timeout')));
  let reader = new ReplyReader();
  reader.attach(socket);
  const command = async (line: string | undefined, step: string, expect: number): Promise<Reply> => {
    if (line !== undefined) socket.write(`${line}\r\n`);
    const reply = await reader.next();
    if (reply.code !== expect) refuse(step, reply);
    return reply;
  };
  const helo = settings.heloName ?? 'onshi-portal';
  try {
    await command(undefined, 'greeting', 220);
    let ehlo = await command(`EHLO ${helo}`, 'EHLO', 250);
    if (settings.security === 'starttls') {
      if (!ehlo.lines.some((l) => l.toUpperCase() === 'STARTTLS')) refuse('STARTTLS not offered', ehlo);
      await command('STARTTLS', 'STARTTLS', 220);
      reader.detach(socket);
      socket = await upgrade(socket, settings);
      reader = new ReplyReader();
      reader.attach(socket);
      ehlo = await command(`EHLO ${helo}`, 'EHLO', 250);
    }
    if (settings.user !== undefined) {
      const token = Buffer.from(`\0${settings.user}\0${settings.password ?? ''}`).toString('base64');
      await command(`AUTH PLAIN ${token}`, 'AUTH', 235);
    }
    await command(`MAIL FROM:<${from}>`, 'MAIL FROM', 250);
    await command(`RCPT TO:<${to}>`, 'RCPT TO', 250);
    await command('DATA', 'DATA', 354);
    socket.write(dataSection(formatMessage(from, message, now)));
    await command(undefined, 'message', 250);
    await command('QUIT', 'QUIT', 221).catch(() => undefined);
  } catch (error) {
    if (error instanceof OnshiError) throw error;
    throw new OnshiError('PORTAL_MAIL_FAILED', { detail: String(error) }, { cause: error });
  } finally {
    socket.destroy();
  }
}
