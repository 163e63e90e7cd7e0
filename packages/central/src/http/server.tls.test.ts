/**
 * Central's HTTPS server keeps TLS 1.2 as its floor even when the process's defaults are lowered
 * (an operator's `--tls-min-v1.0` / weaker cipher list).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import tls from 'node:tls';
import { createLogger } from '../log.ts';
import { createTestPki, type TestPki } from '../test/pki.ts';
import { createRouter } from './router.ts';
import { type RunningServer, startServer } from './server.ts';

let pki: TestPki;
let server: RunningServer;
const saved = { min: tls.DEFAULT_MIN_VERSION, ciphers: tls.DEFAULT_CIPHERS };

before(async () => {
  pki = await createTestPki();
  // What `node --tls-min-v1.0 --tls-cipher-list=DEFAULT:@SECLEVEL=0` would set for the process.
  tls.DEFAULT_MIN_VERSION = 'TLSv1';
  tls.DEFAULT_CIPHERS = 'DEFAULT:@SECLEVEL=0';
  server = await startServer(createRouter([]), {
    host: '127.0.0.1',
    port: 0,
    tls: { key: readFileSync(pki.files.keyFile), cert: readFileSync(pki.files.certFile) },
    defaultMaxBodyBytes: 1024,
    logger: createLogger(() => {}),
  });
});
after(async () => {
  tls.DEFAULT_MIN_VERSION = saved.min;
  tls.DEFAULT_CIPHERS = saved.ciphers;
  await server.close();
  pki.dispose();
});

function handshake(maxVersion: tls.SecureVersion): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port: server.port,
        ca: pki.serverCa,
        servername: 'localhost',
        minVersion: 'TLSv1',
        maxVersion,
        ciphers: 'DEFAULT:@SECLEVEL=0',
      },
      () => {
        resolve(socket.getProtocol() ?? '?');
        socket.destroy();
      },
    );
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
  });
}

it('refuses TLS 1.0 and 1.1 even when the process allows them; speaks 1.2 and 1.3', async () => {
  assert.match(await handshake('TLSv1'), /^refused/);
  assert.match(await handshake('TLSv1.1'), /^refused/);
  assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
  assert.equal(await handshake('TLSv1.3'), 'TLSv1.3');
});
