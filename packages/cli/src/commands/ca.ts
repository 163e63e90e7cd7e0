/**
 * `onshi ca …`: the operator's tool for the common CA (institution certificates, CRL, the central
 * service's server certificate) and the JPKI-like card PKI (cards for synthetic persons).
 * Layout: DIR/common is the common CA, DIR/jpki the card PKI (see packages/pki/README.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommonCa,
  createCaDirectory,
  createJpkiDirectory,
  encryptPrivateKey,
  openCa,
  readPassphraseFile,
  revocationReason,
} from '@onshi/pki';
import { parseCommandArgs, UsageError } from '../args.ts';
import { cardCommands } from './ca-cards.ts';

const help = `usage: onshi ca <subcommand> --passphrase-file F [--dir DIR] [options]

The common CA (オンライン請求ネットワーク関連システム共通認証局) in DIR/common and the card PKI
standing in for J-LIS in DIR/jpki (DIR defaults to .onshi/ca). CA keys are encrypted with the
passphrase in the first line of F (at least 12 characters).

  init          create both CAs                               [--crl-days N]
  issue         an institution certificate                    --institution CODE --name NAME
                  key stays on the terminal:                  --csr FILE --out CERT.pem
                  key generated, PKCS#12 + one-time password: --pkcs12 OUT.p12
  renew         same subject, new key                         --serial S (--csr FILE --out F | --pkcs12 F) [--revoke-old]
  revoke        revoke and rewrite the CRL                    --serial S --reason R
  crl           rewrite the CRL (new thisUpdate/nextUpdate)
  list          the issued institution and server certificates
  server-cert   TLS certificate of the central service        --out-cert F --out-key F [--dns a,b] [--ip a,b]
                                                              [--key-passphrase-file P (default: F)]
  issue-card    a virtual My Number card for a person         --person-id ID [--pin NNNN] [--out-dir D]
  issue-cards   cards for the persons of a store              --store URL --limit N [--pin NNNN] [--out-dir D]
                                                              [--concurrency C]
  revoke-card   revoke a card's user-authentication cert      --serial S --reason R

Reasons: unspecified keyCompromise cACompromise affiliationChanged superseded cessationOfOperation
certificateHold privilegeWithdrawn. Cards are written to D (default DIR/../cards) as
person-<ID>.card.json, and D/links.ndjson gets { personId, pseudonymousId, serial, notAfter }.
`;

export const caOptions = {
  dir: { type: 'string', default: '.onshi/ca' },
  'passphrase-file': { type: 'string' },
  'crl-days': { type: 'string' },
  institution: { type: 'string' },
  name: { type: 'string' },
  csr: { type: 'string' },
  out: { type: 'string' },
  pkcs12: { type: 'string' },
  serial: { type: 'string' },
  reason: { type: 'string' },
  'revoke-old': { type: 'boolean' },
  'out-cert': { type: 'string' },
  'out-key': { type: 'string' },
  'key-passphrase-file': { type: 'string' },
  dns: { type: 'string' },
  ip: { type: 'string' },
  'person-id': { type: 'string' },
  pin: { type: 'string' },
  'out-dir': { type: 'string' },
  store: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
} as const;

export type CaValues = ReturnType<typeof parseCommandArgs<typeof caOptions>>['values'];

type Subcommand = (values: CaValues, passphraseFile: string) => Promise<void>;

const commonCommands: Record<string, Subcommand> = {
  init: async (values, passphraseFile) => {
    const crlValidityDays = values['crl-days'] === undefined ? undefined : Number(values['crl-days']);
    const common = await createCaDirectory(join(values.dir, 'common'), passphraseFile, { crlValidityDays });
    const jpki = await createJpkiDirectory(join(values.dir, 'jpki'), passphraseFile);
    print(`common CA: ${common.dir} (trust: ${join(common.dir, 'bundle.pem')}, CRL: ${common.crlPath})`);
    print(`card PKI:  ${jpki.dir} (trust: ${join(jpki.dir, 'bundle.pem')})`);
  },
  issue: async (values, passphraseFile) => {
    const ca = await openCommon(values, passphraseFile);
    const request = {
      institutionCode: required(values.institution, 'institution'),
      institutionName: required(values.name, 'name'),
    };
    if (values.csr !== undefined) {
      const csr = await readFileText(values.csr);
      const issued = await ca.issueFromCsr({ ...request, csr });
      await writeFile(required(values.out, 'out'), issued.certificate.toString());
      print(
        `issued ${issued.entry.serial} for ${request.institutionCode}, valid until ${issued.entry.notAfter}`,
      );
      return;
    }
    await deliverPkcs12(await ca.issuePkcs12(request), required(values.pkcs12, 'pkcs12 (or --csr)'));
  },
  renew: async (values, passphraseFile) => {
    const ca = await openCommon(values, passphraseFile);
    const serial = required(values.serial, 'serial');
    const csr = values.csr === undefined ? undefined : await readFileText(values.csr);
    const renewed = await ca.renew(serial, { csr, revokeOld: values['revoke-old'] === true });
    if (renewed.pkcs12 === undefined) {
      await writeFile(required(values.out, 'out'), renewed.certificate.toString());
      print(`renewed ${serial} as ${renewed.entry.serial}, valid until ${renewed.entry.notAfter}`);
      return;
    }
    await deliverPkcs12(renewed, required(values.pkcs12, 'pkcs12 (or --csr)'));
  },
  revoke: async (values, passphraseFile) => {
    const ca = await openCommon(values, passphraseFile);
    const entry = await ca.revoke(
      required(values.serial, 'serial'),
      revocationReason(required(values.reason, 'reason')),
    );
    print(`revoked ${entry.serial} (${entry.revoked?.reason}); CRL rewritten: ${ca.crlPath}`);
  },
  crl: async (values, passphraseFile) => {
    print(`CRL written: ${await (await openCommon(values, passphraseFile)).writeCrl()}`);
  },
  list: async (values, passphraseFile) => {
    for (const entry of (await openCommon(values, passphraseFile)).entries()) {
      const state =
        entry.revoked === undefined ? 'valid' : `revoked ${entry.revoked.at} ${entry.revoked.reason}`;
      print(
        `${entry.serial}  ${entry.kind.padEnd(11)} ${entry.institutionCode ?? '-'}  ${entry.notAfter}  ${state}`,
      );
    }
  },
  'server-cert': async (values, passphraseFile) => {
    const ca = await openCommon(values, passphraseFile);
    const list = (text: string | undefined) => text?.split(',').filter((item) => item !== '');
    const issued = await ca.issueServerCertificate({
      dnsNames: list(values.dns),
      ipAddresses: list(values.ip),
    });
    const keyPassphrase = await readPassphraseFile(values['key-passphrase-file'] ?? passphraseFile);
    await writeFile(
      required(values['out-key'], 'out-key'),
      encryptPrivateKey(issued.privateKey, keyPassphrase),
      {
        mode: 0o600,
      },
    );
    await writeFile(
      required(values['out-cert'], 'out-cert'),
      `${issued.certificate.toString()}${ca.issuing.toString()}`,
    );
    print(`server certificate ${issued.entry.serial} (${issued.certificate.subjectAltName}), key encrypted`);
  },
};

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, caOptions, help);
  const [name, ...extra] = positionals;
  const subcommand = name === undefined ? undefined : (commonCommands[name] ?? cardCommands[name]);
  if (subcommand === undefined) throw new UsageError(`a subcommand is required (onshi ca --help)`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  await subcommand(values, required(values['passphrase-file'], 'passphrase-file'));
}

async function openCommon(values: CaValues, passphraseFile: string): Promise<CommonCa> {
  return openCa(join(values.dir, 'common'), passphraseFile);
}

async function deliverPkcs12(
  issued: Awaited<ReturnType<CommonCa['issuePkcs12']>>,
  path: string,
): Promise<void> {
  await writeFile(path, issued.pkcs12!.der, { mode: 0o600 });
  print(
    `issued ${issued.entry.serial} for ${issued.entry.institutionCode}, valid until ${issued.entry.notAfter}`,
  );
  print(`PKCS#12: ${path}`);
  print(`one-time password (shown once, not stored): ${issued.pkcs12!.oneTimePassword}`);
}

export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function readFileText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
