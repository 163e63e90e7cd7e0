/**
 * The demo's certificates, created on first start and reused afterwards: a common CA, the central
 * service's server certificate (key encrypted at rest), a client certificate for the demo
 * institution, and the insurer-feed token. Everything lives under `<dir>/pki/`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CRL_FILE,
  createCaDirectory,
  createInstitutionCsr,
  encryptPrivateKey,
  generateRsaKeyPair,
  privateKeyPem,
  readPassphraseFile,
} from '@onshi/pki';
import { demoInstitutionCode } from './demo-institution.ts';

export interface DemoPki {
  readonly passphraseFile: string;
  readonly serverKeyFile: string;
  readonly serverCertFile: string;
  readonly clientCaFile: string;
  readonly crlFile: string;
  readonly institutionCertFile: string;
  readonly institutionKeyFile: string;
  readonly feedTokenFile: string;
}

/** Where the demo keeps its certificate files (whether or not they exist yet). */
export function demoPkiFiles(dir: string): DemoPki {
  const pki = join(dir, 'pki');
  return {
    passphraseFile: join(pki, 'passphrase'),
    serverKeyFile: join(pki, 'server.key'),
    serverCertFile: join(pki, 'server.crt'),
    clientCaFile: join(pki, 'common-ca-bundle.pem'),
    crlFile: join(pki, 'common-ca', CRL_FILE),
    institutionCertFile: join(pki, `institution-${demoInstitutionCode}.crt`),
    institutionKeyFile: join(pki, `institution-${demoInstitutionCode}.key`),
    feedTokenFile: join(pki, 'feed-token'),
  };
}

/** Central's environment for these files (for loadConfig): HTTPS with the encrypted key, mutual TLS, the CRL. */
export function demoTlsEnvironment(pki: DemoPki) {
  return {
    ONSHI_TLS_KEY_FILE: pki.serverKeyFile,
    ONSHI_TLS_CERT_FILE: pki.serverCertFile,
    ONSHI_TLS_KEY_PASSPHRASE_FILE: pki.passphraseFile,
    ONSHI_CLIENT_CA_FILE: pki.clientCaFile,
    ONSHI_CRL_FILE: pki.crlFile,
  };
}

/** Creates what is missing; returns the file paths. */
export async function ensureDemoPki(dir: string): Promise<DemoPki> {
  const files = demoPkiFiles(dir);
  if (existsSync(files.institutionKeyFile)) return files;
  mkdirSync(join(dir, 'pki'), { recursive: true, mode: 0o700 });
  const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
  writeFileSync(files.passphraseFile, `${secret(24)}\n`, { mode: 0o600 });
  writeFileSync(files.feedTokenFile, `${secret(24)}\n`, { mode: 0o600 });
  const ca = await createCaDirectory(join(dir, 'pki', 'common-ca'), files.passphraseFile);
  const passphrase = await readPassphraseFile(files.passphraseFile);
  const server = await ca.issueServerCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  writeFileSync(files.serverKeyFile, encryptPrivateKey(server.privateKey, passphrase), { mode: 0o600 });
  writeFileSync(files.serverCertFile, server.certificate.toString());
  writeFileSync(files.clientCaFile, ca.bundlePem);
  const keys = await generateRsaKeyPair();
  const csr = await createInstitutionCsr(demoInstitutionCode, keys);
  const issued = await ca.issueFromCsr({
    institutionCode: demoInstitutionCode,
    institutionName: 'オンシ記念クリニック（デモ）',
    csr,
  });
  writeFileSync(files.institutionCertFile, issued.certificate.toString());
  // Written last: its presence marks a complete set.
  writeFileSync(files.institutionKeyFile, privateKeyPem(keys.privateKey), { mode: 0o600 });
  return files;
}
