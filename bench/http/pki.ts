/**
 * A throw-away common CA for the benchmark (the central service accepts institutions only over
 * mutual TLS with the common CA): the server's key and certificate for 127.0.0.1, the CA bundle
 * and CRL the server trusts, and one institution's client certificate that autocannon presents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaDirectory, createInstitutionCsr, generateRsaKeyPair, privateKeyPem } from '@onshi/pki';

export interface BenchPki {
  /** The temporary directory holding all of it (removed by `remove`). */
  readonly dir: string;
  /** Passphrase file of the CA keys in `dir` (the card benchmark's JPKI directory uses it too). */
  readonly passphraseFile: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly clientCaFile: string;
  readonly crlFile: string;
  /** PEM of the institution's client certificate and key */
  readonly client: { readonly cert: string; readonly key: string };
  remove(): void;
}

export async function createBenchPki(institutionCode: string): Promise<BenchPki> {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-bench-pki-'));
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'bench-passphrase-0123456789\n', { mode: 0o600 });
  const ca = await createCaDirectory(join(dir, 'common-ca'), passphraseFile);
  const server = await ca.issueServerCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const files = {
    keyFile: join(dir, 'server.key'),
    certFile: join(dir, 'server.crt'),
    clientCaFile: join(dir, 'client-ca.pem'),
    crlFile: ca.crlPath,
  };
  writeFileSync(files.keyFile, privateKeyPem(server.privateKey), { mode: 0o600 });
  writeFileSync(files.certFile, server.certificate.toString());
  writeFileSync(files.clientCaFile, ca.bundlePem);
  const keys = await generateRsaKeyPair();
  const csr = await createInstitutionCsr(institutionCode, keys);
  const issued = await ca.issueFromCsr({ institutionCode, institutionName: 'ベンチマーク医院', csr });
  return {
    dir,
    passphraseFile,
    ...files,
    client: { cert: issued.certificate.toString(), key: privateKeyPem(keys.privateKey) },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
