/**
 * A throw-away common CA for tests of mutual TLS: a server certificate for localhost, client
 * certificates for institutions (each with its own key), and a second, unrelated CA whose
 * certificates the service must not trust.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CommonCa,
  createCaDirectory,
  createInstitutionCsr,
  generateRsaKeyPair,
  privateKeyPem,
} from '@onshi/pki';

export interface ClientCredentials {
  readonly cert: string;
  readonly key: string;
  readonly serial: string;
}

export interface ClientFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

export interface TestPki {
  readonly dir: string;
  readonly ca: CommonCa;
  /** The CA's passphrase file (for a portal that issues from `ca.dir`). */
  readonly passphraseFile: string;
  /** The server's TLS files and the client-CA settings, as config values. */
  readonly files: { keyFile: string; certFile: string; clientCaFile: string; crlFile: string };
  /** The same files as central's environment (for loadConfig): mutual TLS with the CA's CRL. */
  readonly env: Readonly<
    Record<'ONSHI_TLS_KEY_FILE' | 'ONSHI_TLS_CERT_FILE' | 'ONSHI_CLIENT_CA_FILE' | 'ONSHI_CRL_FILE', string>
  >;
  /** PEM the clients trust for the server (the common CA bundle). */
  readonly serverCa: string;
  client(institutionCode: string): Promise<ClientCredentials>;
  /**
   * A client certificate for the code as files in `dir`, as `onshi terminal` reads them:
   * `client.crt`, `client.key` (0600) and the server CA as `ca.pem`.
   */
  clientFiles(institutionCode: string, dir: string): Promise<ClientFiles>;
  /** A client certificate for the code, issued by another CA. */
  foreignClient(institutionCode: string): Promise<ClientCredentials>;
  dispose(): void;
}

async function issueClient(ca: CommonCa, institutionCode: string): Promise<ClientCredentials> {
  const keys = await generateRsaKeyPair();
  const csr = await createInstitutionCsr(institutionCode, keys);
  const issued = await ca.issueFromCsr({ institutionCode, institutionName: 'テスト医院', csr });
  return {
    cert: issued.certificate.toString(),
    key: privateKeyPem(keys.privateKey),
    serial: issued.entry.serial,
  };
}

export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-pki-'));
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'test-passphrase-0123456789\n');
  const ca = await createCaDirectory(join(dir, 'common-ca'), passphraseFile);
  const server = await ca.issueServerCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const files = {
    keyFile: join(dir, 'server.key'),
    certFile: join(dir, 'server.crt'),
    clientCaFile: join(dir, 'client-ca.pem'),
    crlFile: ca.crlPath,
  };
  writeFileSync(files.keyFile, privateKeyPem(server.privateKey));
  writeFileSync(files.certFile, server.certificate.toString());
  writeFileSync(files.clientCaFile, ca.bundlePem);
  let foreign: CommonCa | undefined;
  return {
    dir,
    ca,
    passphraseFile,
    files,
    env: {
      ONSHI_TLS_KEY_FILE: files.keyFile,
      ONSHI_TLS_CERT_FILE: files.certFile,
      ONSHI_CLIENT_CA_FILE: files.clientCaFile,
      ONSHI_CRL_FILE: files.crlFile,
    },
    serverCa: ca.bundlePem,
    client: (code) => issueClient(ca, code),
    clientFiles: async (code, into) => {
      const credentials = await issueClient(ca, code);
      const files = {
        cert: join(into, 'client.crt'),
        key: join(into, 'client.key'),
        ca: join(into, 'ca.pem'),
      };
      writeFileSync(files.cert, credentials.cert);
      writeFileSync(files.key, credentials.key, { mode: 0o600 });
      writeFileSync(files.ca, ca.bundlePem);
      return files;
    },
    foreignClient: async (code) => {
      foreign ??= await createCaDirectory(join(dir, 'foreign-ca'), passphraseFile);
      return issueClient(foreign, code);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
