/**
 * `onshi card check | register | links import`: the check by My Number card from the command line,
 * acting as the card reader and the terminal — the virtual card answers APDUs, central answers over
 * HTTPS with the institution's client certificate — and the import of the card issuer's links.
 */
import {
  type ClientResponse,
  cardCheckPaths,
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

const help = `usage: onshi card <check|register|links> [options]

  check     check a patient's qualification with a virtual My Number card
            --card FILE (--pin NNNN | --face) [--date yyyyMMdd] [--register] [--limit-consent]
            [--prescription 1|2] [--json | --xml]
  register  健康保険証利用登録 (初回登録) of a card after PIN verification: --card FILE --pin NNNN
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
    else if (subcommand === 'links' && rest[0] === 'import' && rest.length === 2)
      await importLinks(rest[1]!, values);
    else throw new UsageError('onshi card check | register | links import FILE (see --help)');
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

/** A fresh challenge from central, signed by the card: the proof for one request. */
async function proveWithCard(values: Values, tls: TlsClient, session: CardSession) {
  const { challenge } = (await post(values, tls, cardCheckPaths.challenges, {})).json() as {
    challenge: string;
  };
  return cardProof(session, Buffer.from(challenge, 'base64'));
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
