/**
 * Test fixture: an SMTP server on 127.0.0.1 that speaks the protocol (EHLO, STARTTLS when given a
 * certificate, AUTH PLAIN, MAIL, RCPT, DATA with dot-unstuffing, RSET, QUIT) and keeps what it
 * received. Not a fake of our client: it parses what arrives on the socket.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly data: string;
  readonly tls: boolean;
  readonly auth: string | undefined;
  /** Header name (lower case) → value. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body decoded (base64 / UTF-8). */
  readonly text: string;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  readonly tls?: { readonly key: string; readonly cert: string } | undefined;
  /** Required AUTH PLAIN user/password. */
  readonly auth?: { readonly user: string; readonly password: string } | undefined;
  /** Refuse RCPT TO for this address with 550. */
  readonly rejectRecipient?: string | undefined;
}

function parse(data: string): { headers: Record<string, string>; text: string } {
  const split = data.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of data.slice(0, split).split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = data.slice(split + 4);
  const text =
    headers['content-transfer-encoding'] === 'base64'
      ? Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')
      : body;
  return { headers, text };
}

function session(raw: Socket, options: TestSmtpOptions, received: ReceivedMail[]): void {
  let socket: Socket = raw;
  let tls = false;
  let buffer = '';
  let inData = false;
  let data: string[] = [];
  let from = '';
  let to: string[] = [];
  let auth: string | undefined;
  const say = (line: string) => socket.write(`${line}\r\n`);
  const onLine = (line: string) => {
    if (inData) {
      if (line === '.') {
        inData = false;
        const text = data.join('\r\n');
        received.push({ from, to, data: text, tls, auth, ...parse(text) });
        data = [];
        say('250 2.0.0 queued');
      } else data.push(line.startsWith('.') ? line.slice(1) : line);
      return;
    }
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') {
      const extensions = ['PIPELINING', '8BITMIME'];
      if (options.tls && !tls) extensions.push('STARTTLS');
      if (options.auth) extensions.push('AUTH PLAIN');
      say(`250-test.smtp greets ${line.slice(5)}`);
      extensions.forEach((ext, i) => {
        say(`250${i === extensions.length - 1 ? ' ' : '-'}${ext}`);
      });
    } else if (line.toUpperCase() === 'STARTTLS' && options.tls) {
      say('220 2.0.0 ready to start TLS');
      socket.removeAllListeners('data');
      const secure = new TLSSocket(socket, { isServer: true, key: options.tls.key, cert: options.tls.cert });
      socket = secure;
      tls = true;
      buffer = '';
      secure.setEncoding('utf8');
      secure.on('data', onData);
      secure.on('error', () => {});
    } else if (line.toUpperCase().startsWith('AUTH PLAIN ')) {
      const [, user, password] = Buffer.from(line.slice(11), 'base64').toString('utf8').split('\0');
      if (options.auth && user === options.auth.user && password === options.auth.password) {
        auth = user;
        say('235 2.7.0 authenticated');
      } else say('535 5.7.8 bad credentials');
    } else if (verb === 'MAIL') {
      if (options.auth && auth === undefined) return say('530 5.7.0 authentication required');
      from = /<(.*)>/.exec(line)?.[1] ?? '';
      to = [];
      say('250 2.1.0 ok');
    } else if (verb === 'RCPT') {
      const address = /<(.*)>/.exec(line)?.[1] ?? '';
      if (address === options.rejectRecipient) return say('550 5.1.1 no such user');
      to.push(address);
      say('250 2.1.5 ok');
    } else if (verb === 'DATA') {
      if (to.length === 0) return say('503 5.5.1 no recipients');
      inData = true;
      say('354 end with <CRLF>.<CRLF>');
    } else if (verb === 'RSET') {
      from = '';
      to = [];
      say('250 ok');
    } else if (verb === 'QUIT') {
      say('221 2.0.0 bye');
      socket.end();
    } else say('502 5.5.2 command not recognised');
  };
  const onData = (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      onLine(line);
    }
  };
  raw.setEncoding('utf8');
  raw.on('data', onData);
  raw.on('error', () => {});
  say('220 test.smtp ESMTP ready');
}

export async function startTestSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    session(socket, options, received);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
