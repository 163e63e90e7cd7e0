/** Helpers for the connector tests: request files, dropping them the way clients do, waiting. */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bulkQualificationConfirmDownloadRequestSchema,
  bulkQualificationConfirmRequestSchema,
  bulkReferenceNumberRegistrationDownloadRequestSchema,
  bulkReferenceNumberRegistrationRequestSchema,
  checkupInformationRequestSchema,
  encodeMessage,
  type MessageSchema,
  medicationInformationRequestSchema,
  type QualificationConfirmRequest,
  qualificationConfirmRequestSchema,
  type XmlEncoding,
} from '@onshi/core';
import type { Patient } from '../../../central/src/medinfo/medinfo.fixture.ts';
import { insurer as medinfoInsurer } from '../../../central/src/medinfo/medinfo.fixture.ts';
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

/** A YZK (`medications`) or TKK (`checkups`) request for a medinfo-world patient (§2.7 names). */
export function medinfoRequest(
  kind: 'medications' | 'checkups',
  patient: Patient,
  options: { fileCategory?: '1' | '2'; encoding?: XmlEncoding; fileId?: string } = {},
): Uint8Array {
  const header = {
    MedicalInstitutionCode: institution,
    InsurerNumber: medinfoInsurer,
    InsuranceCardSymbol: '記号',
    InsuredPersonIdentificationNumber: patient.cardNumber,
    BranchNumber: '00',
    ...(options.fileId ? { ArbitraryFileIdentifier: options.fileId } : {}),
  };
  const body = {
    ...(options.fileCategory ? { FileCategory: options.fileCategory } : {}),
    MedicalTreatmentFlag: '1',
    ...(kind === 'medications' ? { PrDiInfClassification: '1' } : {}),
  };
  const schema = (
    kind === 'medications' ? medicationInformationRequestSchema : checkupInformationRequestSchema
  ) as MessageSchema<unknown>;
  return encodeMessage({ MessageHeader: header, MessageBody: body }, schema, {
    encoding: options.encoding ?? 'utf-8',
  });
}

/** An OQSmuquc01req: one row per card number of the feed (card 9999: not found). */
export function bulkCheckRequest(cards: readonly number[], encoding: XmlEncoding = 'utf-8', fileId = 'B1') {
  return encodeMessage(
    {
      MessageHeader: {
        QualificationConfirmationDate: '20260401',
        MedicalInstitutionCode: institution,
        ArbitraryFileIdentifier: fileId,
      },
      MessageBody: {
        QualificationConfirmSearchInfo: cards.map((card, i) => ({
          InsurerNumber: insurer,
          InsuredCardSymbol: '12',
          InsuredIdentificationNumber: String(card),
          InsuredBranchNumber: '00',
          Birthdate: '19900505',
          LimitApplicationCertificateRelatedConsFlg: '0',
          ArbitraryIdentifier: `行${i + 1}`,
        })),
      },
    },
    bulkQualificationConfirmRequestSchema,
    { encoding },
  );
}

/** An OQSmuimm01req: 照会番号 `R<card>` for each card number of the feed. */
export function bulkRegisterRequest(
  cards: readonly number[],
  encoding: XmlEncoding = 'utf-8',
  fileId = 'M1',
) {
  return encodeMessage(
    {
      MessageHeader: { MedicalInstitutionCode: institution, ArbitraryFileIdentifier: fileId },
      MessageBody: {
        ReferenceNumberRegistrationInfo: cards.map((card, i) => ({
          ReferenceNumber: `R${card}`,
          InsurerNumber: insurer,
          InsuredCardSymbol: '12',
          InsuredIdentificationNumber: String(card),
          InsuredBranchNumber: '00',
          ArbitraryIdentifier: `行${i + 1}`,
        })),
      },
    },
    bulkReferenceNumberRegistrationRequestSchema,
    { encoding },
  );
}

/** An OQSmuquc02req / OQSmuimm02req for a 受付番号. */
export function downloadRequest(
  kind: 'quc' | 'imm',
  receptionNumber: string,
  encoding: XmlEncoding = 'utf-8',
): Uint8Array {
  const schema =
    kind === 'quc'
      ? bulkQualificationConfirmDownloadRequestSchema
      : bulkReferenceNumberRegistrationDownloadRequestSchema;
  return encodeMessage(
    {
      MessageHeader: { MedicalInstitutionCode: institution },
      MessageBody: { ReceptionNumber: receptionNumber },
    },
    schema,
    { encoding },
  );
}
