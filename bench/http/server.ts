/**
 * The server under test, run in its own process by http.bench.ts so that the load generator does
 * not share its event loop. Prints one JSON line `{ "url": … }` on stdout when it listens.
 *
 *   node bench/http/server.ts hello --key K --cert C [--reply-bytes N]
 *   node bench/http/server.ts check --key K --cert C --store URL --as-of YYYY-MM-DD
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
    store: { type: 'string' },
    'as-of': { type: 'string' },
    'reply-bytes': { type: 'string', default: '5' },
  },
});
const tls = { key: readFileSync(values.key!), cert: readFileSync(values.cert!) };

/** Reads the body and answers "hello", or that many bytes of x when --reply-bytes is larger. */
async function hello(): Promise<string> {
  const size = Number(values['reply-bytes']);
  const reply = size <= 5 ? Buffer.from('hello') : Buffer.alloc(size, 'x');
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

const mode = positionals[0];
const url =
  mode === 'check' ? await (await import('./check-server.ts')).startCheckServer(tls, values) : await hello();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => process.exit(0));
