/** Helpers for the connector tests: request files, dropping them the way clients do, waiting. */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeMessage,
  type QualificationConfirmRequest,
  qualificationConfirmRequestSchema,
  type XmlEncoding,
} from '@onshi/core';
import { institution, insurer } from '../test/central.ts';

export function checkRequest(
  cardNumber: number,
  encoding: XmlEncoding = 'utf-8',
  fileId?: string,
): Uint8Array {
  const message: QualificationConfirmRequest = {
    MessageHeader: {
      QualificationConfirmationDate: '20260401',
      MedicalInstitutionCode: institution,
      ...(fileId ? { ArbitraryFileIdentifier: fileId } : {}),
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: insurer,
        InsuredCardSymbol: '12',
        InsuredIdentificationNumber: String(cardNumber),
        InsuredBranchNumber: '00',
        Birthdate: '19900505',
        LimitApplicationCertificateRelatedConsFlg: '0',
      },
    },
  };
  return encodeMessage(message, qualificationConfirmRequestSchema, { encoding });
}

/** Writes the file beside `req/` as a dot file, then renames it in (the advised convention). */
export function drop(reqDir: string, name: string, bytes: Uint8Array | string): void {
  const temp = join(reqDir, `.${name}.writing`);
  writeFileSync(temp, bytes);
  renameSync(temp, join(reqDir, name));
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
