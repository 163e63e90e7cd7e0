/**
 * The server under test, run in its own process by http.bench.ts so that the load generator does
 * not share its event loop. Prints one JSON line `{ "url": … }` on stdout when it listens.
 *
 *   node bench/http/server.ts hello --key K --cert C [--reply-bytes N]
 *   node bench/http/server.ts check --key K --cert C --client-ca B --crl L --store URL
 *     [--jpki-dir D --jpki-passphrase-file P --ocsp-cache-seconds S]   (with the check by My Number card)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string' },
    cert: { type: 'string' },
    'client-ca': { type: 'string' },
    crl: { type: 'string' },
    store: { type: 'string' },
    'jpki-dir': { type: 'string' },
    'jpki-passphrase-file': { type: 'string' },
    'ocsp-cache-seconds': { type: 'string', default: '0' },
    'reply-bytes': { type: 'string', default: '5' },
  },
});

/** Reads the body and answers "hello", or that many bytes of x when --reply-bytes is larger. */
async function hello(): Promise<string> {
  const size = Number(values['reply-bytes']);
  const reply = size <= 5 ? Buffer.from('hello') : Buffer.alloc(size, 'x');
  const tls = { key: readFileSync(values.key!), cert: readFileSync(values.cert!) };
  const server = createServer(tls, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': reply.length });
      res.end(reply);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function check(): Promise<string> {
  const { startCheckServer } = await import('./check-server.ts');
  return startCheckServer({
    store: values.store!,
    keyFile: values.key!,
    certFile: values.cert!,
    clientCaFile: values['client-ca']!,
    crlFile: values.crl!,
    card:
      values['jpki-dir'] === undefined
        ? undefined
        : {
            jpkiDir: values['jpki-dir'],
            passphraseFile: values['jpki-passphrase-file']!,
            ocspCacheSeconds: Number(values['ocsp-cache-seconds']),
          },
  });
}

const url = positionals[0] === 'check' ? await check() : await hello();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => process.exit(0));
