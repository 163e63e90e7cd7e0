/**
 * `onshi card check | register | links import`: the check by My Number card from the command line,
 * acting as the card reader and the terminal — the virtual card answers APDUs, central answers over
 * HTTPS with the institution's client certificate — and the import of the card issuer's links.
 */
import {
  type ClientResponse,
  cardCheckPaths,
  consentPaths,
  httpsRequest,
  importCardLinks,
  loadConfigFromEnvironment,
  migrate,
  openStore,
  type TlsClient,
} from '@onshi/central';
import { codeLabel, messageToJson, type QualificationConfirmResult } from '@onshi/core';
import { openVirtualMyNumberCard, readCardLinks } from '@onshi/pki';
import { type CardSession, cardProof, startCardSession } from '@onshi/reader';
import { parseCommandArgs, UsageError } from '../args.ts';
import { clientTls, summary } from './check.ts';

const help = `usage: onshi card <check|register|access-log|revoke-consent|links> [options]

  check     check a patient's qualification with a virtual My Number card
            --card FILE (--pin NNNN | --face) [--date yyyyMMdd] [--register] [--limit-consent]
            [--prescription 1|2] [--consent YZK|TKK|SRJ|SHJ]… [--json | --xml]
            (--consent: the patient's 同意 on the reader — 薬剤, 特定健診, 診療, 手術)
  register  健康保険証利用登録 (初回登録) of a card after PIN verification: --card FILE --pin NNNN
  access-log      the patient's own view: who accessed my data (institution, when, what), proven
                  by the card's signature: --card FILE (--pin NNNN | --face) [--json]
  revoke-consent  the patient withdraws a viewing consent given to an institution (OQSCD031 2):
                  --card FILE (--pin NNNN | --face) --institution CODE [--category YZK|TKK|SRJ|SHJ]…
  links     links import FILE [--registered] [--store URL]: import the card issuer's links.ndjson
            (certificate serial → pseudonymous id; sets the person's key where it has none;
            --registered also registers every card for insurance use)

Connection (check, register):
  --url URL            central service (default https://127.0.0.1:8080)
  --client-cert FILE   the institution's client certificate (PEM); --client-key FILE its key
  --ca FILE            the CA bundle the server's certificate must chain to
  --dir DIR            a demo directory: its institution certificate and CA are the defaults (.onshi)
`;

const options = {
  card: { type: 'string' },
  pin: { type: 'string' },
  face: { type: 'boolean' },
  date: { type: 'string' },
  register: { type: 'boolean' },
  'limit-consent': { type: 'boolean' },
  prescription: { type: 'string' },
  registered: { type: 'boolean' },
  store: { type: 'string' },
  url: { type: 'string', default: 'https://127.0.0.1:8080' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  ca: { type: 'string' },
  dir: { type: 'string', default: '.onshi' },
  json: { type: 'boolean' },
  xml: { type: 'boolean' },
  institution: { type: 'string' },
  category: { type: 'string', multiple: true },
  consent: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/** A refusal from central: its code and message, printed as `CODE: message`, exit 1. */
class CentralRefusal extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, options, help);
  const [subcommand, ...rest] = positionals;
  try {
    if (subcommand === 'check') await check(values);
    else if (subcommand === 'register') await register(values);
    else if (subcommand === 'access-log') await accessLog(values);
    else if (subcommand === 'revoke-consent') await revokeConsent(values);
    else if (subcommand === 'links' && rest[0] === 'import' && rest.length === 2)
      await importLinks(rest[1]!, values);
    else
      throw new UsageError(
        'onshi card check | register | access-log | revoke-consent | links import FILE (see --help)',
      );
  } catch (error) {
    if (!(error instanceof CentralRefusal)) throw error;
    process.stderr.write(`onshi card: ${error.code}: ${error.message}\n`);
    process.exitCode = 1;
  }
}

async function post(
  values: Values,
  tls: TlsClient,
  path: string,
  body: unknown,
  accept = 'application/json',
) {
  const response = await httpsRequest(`${values.url}${path}`, tls, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  if (response.status !== 200 && accept === 'application/json') throw refusal(response);
  return response;
}

function refusal(response: ClientResponse): CentralRefusal {
  try {
    const { code, message } = response.json() as { code: string; message: string };
    return new CentralRefusal(code, message);
  } catch {
    return new CentralRefusal(`HTTP_${response.status}`, response.body.toString('utf8').slice(0, 200));
  }
}

/**
 * A fresh challenge from central, signed by the card: the proof for one request. Patient requests
 * take their challenge from the patient's own route, so it can never serve a check.
 */
async function proveWithCard(
  values: Values,
  tls: TlsClient,
  session: CardSession,
  challengePath: string = cardCheckPaths.challenges,
) {
  const { challenge } = (await post(values, tls, challengePath, {})).json() as { challenge: string };
  return cardProof(session, Buffer.from(challenge, 'base64'));
}

/** OQSCD036 categories as the reader's consent flags of OQS-IF-002. */
const consentFlagOf: Record<string, string> = {
  YZK: 'PharmacistsInfoConsFlg',
  TKK: 'SpecificHealthCheckupsInfoConsFlg',
  SRJ: 'DiagnosisInfoConsFlg',
  SHJ: 'OperationInfoConsFlg',
};

function consentsOf(categories: readonly string[]): Record<string, '1'> {
  return Object.fromEntries(
    categories.map((category) => {
      const flag = consentFlagOf[category];
      if (flag === undefined) throw new UsageError('--consent is YZK, TKK, SRJ or SHJ');
      return [flag, '1'];
    }),
  );
}

const actionLabels: Record<string, string> = {
  'check-card': 'マイナンバーカードで資格確認',
  'check-card-data': '保険証情報で資格確認',
  'view-medication': '薬剤情報の閲覧',
  'view-checkup': '特定健診情報の閲覧',
  'disaster-search': '災害時の検索',
  'consent-revoke': '同意の取消',
};

async function accessLog(values: Values): Promise<void> {
  const tls = clientTls(values);
  const proof = await proveWithCard(values, tls, await openSession(values), consentPaths.myChallenges);
  const { accesses } = (await post(values, tls, consentPaths.myAccessLog, proof)).json() as {
    accesses: { at: string; institutionCode: string; action: string }[];
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(accesses, null, 2)}\n`);
    return;
  }
  if (accesses.length === 0) {
    process.stdout.write('あなたの情報にアクセスした記録はありません。\n');
    return;
  }
  process.stdout.write(`あなたの情報へのアクセス（${accesses.length} 件、古い順）:\n`);
  for (const access of accesses) {
    const label = actionLabels[access.action] ?? access.action;
    process.stdout.write(`  ${access.at}  医療機関 ${access.institutionCode}  ${label}\n`);
  }
}

async function revokeConsent(values: Values): Promise<void> {
  if (values.institution === undefined) throw new UsageError('--institution CODE is required');
  const tls = clientTls(values);
  const proof = await proveWithCard(values, tls, await openSession(values), consentPaths.myChallenges);
  const body = {
    ...proof,
    institutionCode: values.institution,
    ...(values.category ? { categories: values.category } : {}),
  };
  const answer = (await post(values, tls, consentPaths.myRevocations, body)).json() as {
    revoked: number;
    revokedAt: string;
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    answer.revoked === 0
      ? `医療機関 ${values.institution} への有効な同意はありませんでした。\n`
      : `医療機関 ${values.institution} への同意 ${answer.revoked} 件を取り消しました（${answer.revokedAt}）。\n`,
  );
}

async function openSession(values: Values): Promise<CardSession> {
  if (values.card === undefined) throw new UsageError('--card FILE is required');
  if ((values.pin === undefined) === (values.face !== true))
    throw new UsageError('give --pin NNNN or --face');
  const card = await openVirtualMyNumberCard(values.card);
  return startCardSession(card, values.face ? { face: true } : { pin: values.pin! });
}

async function register(values: Values): Promise<void> {
  if (values.face) throw new UsageError('registration needs the PIN (--pin), not --face');
  const tls = clientTls(values);
  await registerWith(values, tls, await openSession(values));
}

async function registerWith(values: Values, tls: TlsClient, session: CardSession): Promise<void> {
  const proof = await proveWithCard(values, tls, session);
  const answer = (await post(values, tls, cardCheckPaths.registrations, proof)).json() as {
    registeredAt: string;
    newlyRegistered: boolean;
  };
  process.stdout.write(
    answer.newlyRegistered
      ? '健康保険証の利用登録が完了しました。\n'
      : `既に健康保険証として利用登録されています（${answer.registeredAt}）。\n`,
  );
}

async function check(values: Values): Promise<void> {
  if (values.register && values.face) throw new UsageError('--register needs the PIN (--pin), not --face');
  const prescription = values.prescription;
  if (prescription !== undefined && prescription !== '1' && prescription !== '2') {
    throw new UsageError('--prescription is 1 (電子処方箋) or 2 (紙の処方箋)');
  }
  const tls = clientTls(values);
  const session = await openSession(values);
  if (values.register) await registerWith(values, tls, session);
  const body = {
    ...(await proveWithCard(values, tls, session)),
    ...(values.date ? { QualificationConfirmationDate: values.date } : {}),
    LimitApplicationCertificateRelatedConsFlg: values['limit-consent'] ? '1' : '0',
    ...(prescription ? { PrescriptionIssueSelect: prescription } : {}),
    ...(values.consent ? { consents: consentsOf(values.consent) } : {}),
  };
  const accept = values.xml ? 'application/xml' : 'application/json';
  const response = await post(values, tls, cardCheckPaths.confirmations, body, accept);
  if (values.xml) {
    process.stdout.write(response.body.toString('utf8'));
    if (response.status !== 200) process.exitCode = 1;
    return;
  }
  const message = (response.json() as { XmlMsg: QualificationConfirmResult }).XmlMsg;
  if (values.json) process.stdout.write(`${JSON.stringify(messageToJson(message), null, 2)}\n`);
  else process.stdout.write(cardSummary(message));
}

/** The clerk's summary of a card check: how the patient was checked, then the common summary. */
export function cardSummary(result: QualificationConfirmResult): string {
  const kind = result.MessageHeader.ReferenceClassification ?? '';
  const lines = [`照会区分: ${kind} ${codeLabel('OQSCD002', kind) ?? ''}`];
  const select = result.MessageBody.PrescriptionIssueSelect;
  if (select) lines.push(`処方箋発行形態: ${codeLabel('OQSCD017', select) ?? select}`);
  return `${lines.join('\n')}\n${summary(result)}`;
}

async function importLinks(file: string, values: Values): Promise<void> {
  const links = await readCardLinks(file);
  if (links.length === 0) throw new UsageError(`${file} holds no card links`);
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    await migrate(store);
    const report = await importCardLinks(store, links, { registered: values.registered === true });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${report.linked} of ${report.links} card links imported; ${report.personKeysSet} person keys set; ` +
        `${report.registered} cards registered for insurance use\n`,
    );
    if (report.unknownPersons.length > 0)
      process.stdout.write(`  persons not in the store: ${report.unknownPersons.join(', ')}\n`);
    if (report.conflicts.length > 0)
      process.stdout.write(`  conflicting pseudonymous ids (serials): ${report.conflicts.join(', ')}\n`);
    if (report.unknownPersons.length + report.conflicts.length > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}
