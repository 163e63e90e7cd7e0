import { existsSync, readFileSync } from 'node:fs';
import { httpsRequest, type TlsClient } from '@onshi/central';
import {
  codeLabel,
  decodeMessage,
  encodeMessage,
  jstDate,
  messageToJson,
  type QualificationConfirmRequest,
  type QualificationConfirmResult,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  toWireDate,
  type XmlEncoding,
} from '@onshi/core';
import { parseCommandArgs, UsageError } from '../args.ts';
import { demoInstitutionCode } from '../demo-institution.ts';
import { demoPkiFiles } from '../demo-pki.ts';

const help = `usage: onshi check --insurer N --number N --birthdate yyyyMMdd [options]

Sends one 資格確認要求 (OQS-IF-001) as XML to a running central service and prints the result.
Exits 1 when central refuses the request (処理結果: 異常終了 and its code), 0 for any answer.
  --url URL            central service (default https://127.0.0.1:8080)
  --client-cert FILE   the institution's client certificate (PEM); --client-key FILE its key
  --ca FILE            the CA bundle the server's certificate must chain to
  --dir DIR            a demo directory: its institution certificate and CA are the defaults
                       of the three flags above (default .onshi)
  --institution CODE   医療機関コード (default: the demo institution ${demoInstitutionCode})
  --insurer N          保険者番号 (8 digits, or 6 for 国保)
  --symbol S           被保険者証記号
  --number N           被保険者証番号
  --branch NN          枝番
  --birthdate DATE     生年月日 yyyyMMdd
  --date DATE          資格確認日 yyyyMMdd (default: today, JST)
  --limit-consent      限度額適用認定証等の提供に同意 (OQSCD001 = 1)
  --encoding E         utf-8 (default) or shift_jis
  --xml | --json       print the whole result as XML or as its JSON mirror
`;

const options = {
  url: { type: 'string', default: 'https://127.0.0.1:8080' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  ca: { type: 'string' },
  dir: { type: 'string', default: '.onshi' },
  institution: { type: 'string', default: demoInstitutionCode },
  insurer: { type: 'string' },
  symbol: { type: 'string' },
  number: { type: 'string' },
  branch: { type: 'string' },
  birthdate: { type: 'string' },
  date: { type: 'string' },
  'limit-consent': { type: 'boolean' },
  encoding: { type: 'string', default: 'utf-8' },
  xml: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, options, help);
  const { insurer, number, birthdate } = values;
  if (!insurer || !number || !birthdate)
    throw new UsageError('--insurer, --number and --birthdate are required');
  const encoding = values.encoding as XmlEncoding;
  if (encoding !== 'utf-8' && encoding !== 'shift_jis')
    throw new UsageError('--encoding is utf-8 or shift_jis');
  const request: QualificationConfirmRequest = {
    MessageHeader: {
      QualificationConfirmationDate: values.date ?? toWireDate(jstDate(new Date())),
      MedicalInstitutionCode: values.institution,
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: insurer,
        ...(values.symbol ? { InsuredCardSymbol: values.symbol } : {}),
        InsuredIdentificationNumber: number,
        ...(values.branch ? { InsuredBranchNumber: values.branch } : {}),
        Birthdate: birthdate,
        LimitApplicationCertificateRelatedConsFlg: values['limit-consent'] ? '1' : '0',
      },
    },
  };
  const response = await httpsRequest(`${values.url}/oqs/v1/qualification-confirmations`, clientTls(values), {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: encodeMessage(request, qualificationConfirmRequestSchema, { encoding }),
  });
  const bytes = new Uint8Array(response.body);
  if (values.xml) {
    process.stdout.write(new TextDecoder(encoding).decode(bytes));
    if (response.status !== 200 || !succeeded(bytes)) process.exitCode = 1;
    return;
  }
  const result = decodeMessage(bytes, qualificationConfirmResultSchema);
  // A refusal (処理結果区分 other than 1: the request or the caller was refused) exits 1, as does
  // `onshi card check`; a check that finds no qualification is an answer, not a refusal (exit 0).
  if (response.status !== 200 || result.MessageHeader.SegmentOfResult !== '1') process.exitCode = 1;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(messageToJson(result), null, 2)}\n`);
    return;
  }
  process.stdout.write(summary(result));
}

/** Whether the answer is a result with 処理結果区分 1 (an --xml answer that is no result is a failure). */
function succeeded(bytes: Uint8Array): boolean {
  try {
    return decodeMessage(bytes, qualificationConfirmResultSchema).MessageHeader.SegmentOfResult === '1';
  } catch {
    return false;
  }
}

/** The client certificate and trusted CA: from the flags, else from the demo directory. */
export function clientTls(values: {
  'client-cert'?: string | undefined;
  'client-key'?: string | undefined;
  ca?: string | undefined;
  dir?: string | undefined;
}): TlsClient {
  const demo = demoPkiFiles(values.dir ?? '.onshi');
  const pick = (given: string | undefined, fallback: string) =>
    given ?? (existsSync(fallback) ? fallback : undefined);
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  return {
    cert: read(pick(values['client-cert'], demo.institutionCertFile)),
    key: read(pick(values['client-key'], demo.institutionKeyFile)),
    ca: read(pick(values.ca, demo.clientCaFile)),
  };
}

/** A reception clerk's view of a result, in Japanese. */
export function summary(result: QualificationConfirmResult): string {
  const h = result.MessageHeader;
  if (h.SegmentOfResult !== '1') return `処理結果: 異常終了 ${h.ErrorCode ?? ''} ${h.ErrorMessage ?? ''}\n`;
  const b = result.MessageBody;
  const lines = [
    `資格有効性: ${b.QualificationValidity ?? '-'} ${codeLabel('OQSCD006', b.QualificationValidity ?? '') ?? ''}`,
  ];
  if (b.ProcessingResultMessage) lines.push(`処理結果: ${b.ProcessingResultMessage}`);
  for (const q of b.ResultList?.ResultOfQualificationConfirmation ?? []) {
    lines.push(
      '',
      `氏名: ${q.Name}（${q.NameKana ?? ''}）  性別: ${codeLabel('OQSCD007', q.Sex1) ?? q.Sex1}  生年月日: ${q.Birthdate}`,
      `保険者: ${q.InsurerNumber ?? ''} ${q.InsurerName}`,
      `記号・番号・枝番: ${q.InsuredCardSymbol ?? ''} / ${q.InsuredIdentificationNumber ?? ''} / ${q.InsuredBranchNumber ?? ''}`,
      `本人・家族: ${codeLabel('OQSCD009', q.PersonalFamilyClassification ?? '') ?? '-'}  被保険者証区分: ${codeLabel('OQSCD010', q.InsuredCardClassification) ?? q.InsuredCardClassification}`,
      `資格取得日: ${q.QualificationDate ?? '-'}  資格喪失日: ${q.DisqualificationDate ?? '-'}${q.ReasonOfLoss ? ` (${codeLabel('OQSCD008', q.ReasonOfLoss)})` : ''}`,
    );
    if (q.InsuredPartialContributionRatio) lines.push(`一部負担金割合: ${q.InsuredPartialContributionRatio}`);
    if (q.PreschoolClassification) lines.push('未就学: 該当');
    const elderly = q.ElderlyRecipientCertificateInfo?.ElderlyRecipientContributionRatio;
    if (elderly) lines.push(`高齢受給者証 一部負担金割合: ${elderly}`);
    const limit = q.LimitApplicationCertificateRelatedInfo?.LimitApplicationCertificateClassificationFlag;
    if (limit) lines.push(`限度額適用区分: ${limit} ${codeLabel('OQSCD012', limit) ?? ''}`);
    if (q.ReferenceNumber) lines.push(`照会番号: ${q.ReferenceNumber}`);
  }
  return `${lines.join('\n')}\n`;
}
