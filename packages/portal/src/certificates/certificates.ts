/**
 * Certificates issued through the portal by the common CA (`@onshi/pki` openCa): from the
 * terminal's CSR, or as PKCS#12 under a one-time password that the institution sees once; renewal
 * (same subject, new key) while the old one is valid; revocation, which rewrites the CRL file that
 * central re-reads. Each certificate carries the environment it was applied for
 * ('connection-test' | 'production'; ADR 0005).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '@onshi/central';
import { type Clock, OnshiError } from '@onshi/core';
import { type CommonCa, type IssuedCertificate, normalizeSerial, type RevocationReason } from '@onshi/pki';
import type { Environment } from '../applications/applications.rules.ts';

export interface PortalCertificate {
  readonly serial: string;
  readonly accountId: number;
  readonly applicationId: number;
  readonly institutionCode: string;
  readonly environment: Environment;
  readonly keyDelivery: 'csr' | 'pkcs12';
  readonly terminalName: string;
  readonly certificatePem: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly renewalOf: string | null;
  readonly passwordPending: boolean;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
}

const columns = `serial, account_id as "accountId", application_id as "applicationId",
  institution_code as "institutionCode", environment, key_delivery as "keyDelivery",
  terminal_name as "terminalName", certificate_pem as "certificatePem", not_before as "notBefore",
  not_after as "notAfter", issued_at as "issuedAt", renewal_of as "renewalOf",
  case when one_time_password is null then 0 else 1 end as "passwordPending",
  revoked_at as "revokedAt", revoke_reason as "revokeReason"`;

type Row = Omit<PortalCertificate, 'passwordPending'> & { passwordPending: number };
const parse = (row: Row): PortalCertificate => ({ ...row, passwordPending: row.passwordPending === 1 });

export async function listCertificates(store: Store, accountId?: number): Promise<PortalCertificate[]> {
  const rows = await store.all<Row>(
    `select ${columns} from portal_certificates ${accountId === undefined ? '' : 'where account_id = ?'}
     order by issued_at`,
    accountId === undefined ? [] : [accountId],
  );
  return rows.map(parse);
}

export async function findCertificate(store: Store, serial: string): Promise<PortalCertificate | undefined> {
  let normalized: string;
  try {
    normalized = normalizeSerial(serial);
  } catch {
    return undefined;
  }
  const row = await store.get<Row>(`select ${columns} from portal_certificates where serial = ?`, [
    normalized,
  ]);
  return row && parse(row);
}

export const revocationReasonsOffered: readonly RevocationReason[] = [
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
];

export interface IssueRequest {
  readonly accountId: number;
  readonly applicationId: number;
  readonly institutionCode: string;
  readonly institutionName: string;
  readonly environment: Environment;
  readonly terminalName: string;
  readonly csr: string | null;
  readonly renewalOf: string | null;
}

export function createCertificates(deps: { store: Store; clock: Clock; ca: CommonCa; dataDir: string }) {
  const { store, clock, ca } = deps;
  const p12Dir = join(deps.dataDir, 'certificates');
  const p12Path = (serial: string) => join(p12Dir, `${serial}.p12`);

  async function issueFromCa(request: IssueRequest): Promise<IssuedCertificate> {
    const csr = request.csr ?? undefined;
    if (request.renewalOf !== null) return ca.renew(request.renewalOf, { csr });
    const subject = { institutionCode: request.institutionCode, institutionName: request.institutionName };
    return csr === undefined ? ca.issuePkcs12(subject) : ca.issueFromCsr({ ...subject, csr });
  }

  return {
    /**
     * Issues at the CA, then records the certificate and runs `alsoInTransaction` (the approval) in
     * one transaction. If recording fails, the certificate is revoked again and its file removed.
     */
    async issue(
      request: IssueRequest,
      alsoInTransaction: (tx: Store, serial: string) => Promise<void>,
    ): Promise<PortalCertificate> {
      const issued = await issueFromCa(request);
      const serial = issued.entry.serial;
      try {
        if (issued.pkcs12) {
          await mkdir(p12Dir, { recursive: true, mode: 0o700 });
          await writeFile(p12Path(serial), issued.pkcs12.der, { mode: 0o600 });
        }
        await store.transaction(async (tx) => {
          await tx.run(
            `insert into portal_certificates (serial, account_id, application_id, institution_code, environment,
               key_delivery, terminal_name, certificate_pem, not_before, not_after, issued_at, renewal_of,
               one_time_password) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              serial,
              request.accountId,
              request.applicationId,
              request.institutionCode,
              request.environment,
              issued.pkcs12 ? 'pkcs12' : 'csr',
              request.terminalName,
              issued.certificate.toString(),
              issued.entry.notBefore,
              issued.entry.notAfter,
              issued.entry.issuedAt,
              request.renewalOf,
              issued.pkcs12?.oneTimePassword ?? null,
            ],
          );
          await alsoInTransaction(tx, serial);
        });
      } catch (error) {
        await ca.revoke(serial, 'cessationOfOperation').catch(() => undefined);
        await rm(p12Path(serial), { force: true });
        throw error;
      }
      return (await findCertificate(store, serial))!;
    },

    /** The one-time password of a PKCS#12 delivery, once; afterwards PORTAL_PASSWORD_ALREADY_SHOWN. */
    async revealPassword(accountId: number, serial: string): Promise<string> {
      const cert = await this.owned(accountId, serial);
      return store.transaction(async (tx) => {
        const row = await tx.get<{ otp: string | null }>(
          'select one_time_password as otp from portal_certificates where serial = ?',
          [cert.serial],
        );
        if (row?.otp == null) throw new OnshiError('PORTAL_PASSWORD_ALREADY_SHOWN');
        await tx.run('update portal_certificates set one_time_password = null where serial = ?', [
          cert.serial,
        ]);
        return row.otp;
      });
    },

    async pkcs12(accountId: number, serial: string): Promise<Buffer> {
      const cert = await this.owned(accountId, serial);
      if (cert.keyDelivery !== 'pkcs12') throw new OnshiError('PORTAL_CERTIFICATE_NOT_FOUND', { serial });
      return readFile(p12Path(cert.serial));
    },

    /** The certificate and the CA chain (PEM), for a terminal that made its own key. */
    chainPem: (cert: PortalCertificate) => `${cert.certificatePem}${ca.bundlePem}`,

    async owned(accountId: number, serial: string): Promise<PortalCertificate> {
      const cert = await findCertificate(store, serial);
      if (cert === undefined || cert.accountId !== accountId) {
        throw new OnshiError('PORTAL_CERTIFICATE_NOT_FOUND', { serial });
      }
      return cert;
    },

    /** Renewable: not revoked and not yet expired. */
    assertRenewable(cert: PortalCertificate): void {
      if (cert.revokedAt !== null) {
        throw new OnshiError('PORTAL_CERTIFICATE_NOT_RENEWABLE', { serial: cert.serial, detail: '失効済み' });
      }
      if (new Date(cert.notAfter).getTime() <= clock.now().getTime()) {
        throw new OnshiError('PORTAL_CERTIFICATE_NOT_RENEWABLE', {
          serial: cert.serial,
          detail: '有効期限切れ（新規に発行申請してください）',
        });
      }
    },

    /** Revokes at the CA (the CRL file is rewritten) and records it. */
    async revoke(serial: string, reason: unknown): Promise<PortalCertificate> {
      const cert = await findCertificate(store, serial);
      if (cert === undefined) throw new OnshiError('PORTAL_CERTIFICATE_NOT_FOUND', { serial });
      if (typeof reason !== 'string' || !revocationReasonsOffered.includes(reason as RevocationReason)) {
        throw new OnshiError('PKI_REVOCATION_REASON_INVALID', { reason: String(reason ?? '') });
      }
      if (cert.revokedAt !== null) throw new OnshiError('PKI_CERT_ALREADY_REVOKED', { serial: cert.serial });
      const entry = await ca.revoke(cert.serial, reason as RevocationReason);
      await store.run(
        `update portal_certificates set revoked_at = ?, revoke_reason = ?, one_time_password = null
         where serial = ?`,
        [entry.revoked?.at ?? clock.now().toISOString(), reason, cert.serial],
      );
      await rm(p12Path(cert.serial), { force: true });
      return (await findCertificate(store, cert.serial))!;
    },

    list: (accountId?: number) => listCertificates(store, accountId),
  };
}

export type Certificates = ReturnType<typeof createCertificates>;
