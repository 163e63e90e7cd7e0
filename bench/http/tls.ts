/** A throw-away self-signed key and certificate for 127.0.0.1, made with the `openssl` command. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempCertificate {
  readonly keyFile: string;
  readonly certFile: string;
  remove(): void;
}

export function selfSignedCertificate(): TempCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-bench-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
