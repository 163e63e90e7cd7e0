/**
 * Request bodies for the check benchmark: OQSsiquc01req XML documents (oqs-interface.md §2.2), one
 * per card query sampled from the seeded store. Insurer numbers of 6 digits are right-aligned with
 * spaces, as the interface wants.
 */

import { openStore, sampleCardQueries } from '@onshi/central';
import { type CardQuery, institutionCodeCheckDigit, padInsurerNumber, toWireDate } from '@onshi/core';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A valid 医療機関コード: 東京 (13), 医科 (1), 医療機関番号 123456 + 検証番号. */
export function benchInstitutionCode(): string {
  const body = '131123456';
  return body + String(institutionCodeCheckDigit(body));
}

export function requestXml(query: CardQuery, on: string, institutionCode: string, id: number): string {
  const symbol =
    query.cardSymbol === '' ? '' : `<InsuredCardSymbol>${escapeXml(query.cardSymbol)}</InsuredCardSymbol>`;
  const branch =
    query.branchNumber === '' ? '' : `<InsuredBranchNumber>${query.branchNumber}</InsuredBranchNumber>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<XmlMsg><MessageHeader>' +
    `<QualificationConfirmationDate>${toWireDate(on)}</QualificationConfirmationDate>` +
    `<MedicalInstitutionCode>${institutionCode}</MedicalInstitutionCode>` +
    `<ArbitraryFileIdentifier>bench${id}</ArbitraryFileIdentifier>` +
    '</MessageHeader><MessageBody><QualificationConfirmSearchInfo>' +
    `<InsurerNumber>${padInsurerNumber(query.insurerNumber)}</InsurerNumber>${symbol}` +
    `<InsuredIdentificationNumber>${escapeXml(query.cardNumber)}</InsuredIdentificationNumber>${branch}` +
    `<Birthdate>${toWireDate(query.birthdate)}</Birthdate>` +
    '<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>' +
    '</QualificationConfirmSearchInfo></MessageBody></XmlMsg>\n'
  );
}

/** `count` different request bodies drawn from the store at `url`. */
export async function checkBodies(url: string, count: number, seed: number, on: string): Promise<Buffer[]> {
  const store = openStore(url);
  try {
    const queries = await sampleCardQueries(store, count, seed);
    const code = benchInstitutionCode();
    return queries.map((q, i) => Buffer.from(requestXml(q, on, code, i)));
  } finally {
    await store.close();
  }
}
