import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLogger,
  loadConfigFromEnvironment,
  migrate,
  openStore,
  progressBar,
  type Store,
  sampleCardQueries,
  seedMedicalWhenEmpty,
  seedStore,
  startCentral,
} from '@onshi/central';
import {
  type CardQuery,
  encodeMessage,
  jstDate,
  padInsurerNumber,
  type QualificationConfirmRequest,
  qualificationConfirmRequestSchema,
  toWireDate,
} from '@onshi/core';
import { ensurePortalDirectory, startPortal } from '@onshi/portal';
import { startReader } from '@onshi/reader';
import { type RunningTerminal, startTerminal } from '@onshi/terminal';
import { parseCommandArgs, port, positiveInteger } from '../args.ts';
import { DEMO_PIN, type DemoCards, demoJpkiDir, ensureDemoCards } from '../demo-cards.ts';
import { demoInstitutionCode } from '../demo-institution.ts';
import { type DemoLogin, ensureDemoLogins } from '../demo-logins.ts';
import { type DemoPki, demoTlsEnvironment, ensureDemoPki } from '../demo-pki.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi demo [--persons N] [--port P] [--terminal-port P] [--reader-port P] [--portal-port P]
                  [--store URL] [--dir DIR]

Seeds a synthetic population into a demo store (only when it is empty), creates the demo's
certificates (common CA, server, one institution), virtual My Number cards and staff logins on
first start, then starts on 127.0.0.1:
  - the central service over HTTPS with mutual TLS,
  - the institution's terminal: the connector on DIR/req → DIR/res (and DIR/face for reader
    sessions) and the staff web UI,
  - the face-auth card reader's screen (the patient's side),
  - the portal for institutions (with a mailbox page for its mails) and the operator console,
and prints their URLs and the demo logins. Ctrl-C (or SIGTERM) stops everything; the store, the
certificates, the cards and the logins are kept for the next start.
  --persons N          persons to seed on first start (default 10,000)
  --port P             central's port (default ONSHI_PORT or 8080; 0 = any free port)
  --terminal-port P    the terminal's staff UI (default 8081; 0 = any free port)
  --reader-port P      the card reader's screen (default 8082; 0 = any free port)
  --portal-port P      the portal (default 8090; the operator console on the next port, or any
                       free port with 0)
  --store URL          default sqlite:<dir>/demo.db
  --dir DIR            where the demo keeps its files (default .onshi)
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      persons: { type: 'string' },
      port: { type: 'string' },
      store: { type: 'string' },
      dir: { type: 'string' },
      'terminal-port': { type: 'string' },
      'reader-port': { type: 'string' },
      'portal-port': { type: 'string' },
    },
    help,
  );
  const terminalPort = port(values['terminal-port'], 'terminal-port', 8081);
  const readerPort = port(values['reader-port'], 'reader-port', 8082);
  const portalPort = port(values['portal-port'], 'portal-port', 8090);
  const dir = values.dir ?? '.onshi';
  mkdirSync(dir, { recursive: true });
  const pki = await ensureDemoPki(dir);
  const config = loadConfigFromEnvironment({
    ONSHI_STORE: values.store ?? `sqlite:${join(dir, 'demo.db')}`,
    ONSHI_PORT: values.port,
    ...demoTlsEnvironment(pki),
    ONSHI_FEED_TOKEN_FILE: pki.feedTokenFile,
    ONSHI_JPKI_DIR: demoJpkiDir(dir),
    ONSHI_JPKI_PASSPHRASE_FILE: pki.passphraseFile,
  });
  const store = openStore(config.storeUrl);
  await migrate(store);
  await seedWhenEmpty(store, positiveInteger(values.persons, 'persons', 10_000));
  await seedMedicalFor(store);
  const cards = await ensureDemoCards(store, dir, pki.passphraseFile);
  const logger = createLogger(undefined, { quiet: true });
  const central = await startCentral(config, { store, clock: { now: () => new Date() }, logger });
  const logins = await ensureDemoLogins(dir);
  const terminal = await startTerminal({
    dir,
    centralUrl: central.url,
    certFile: pki.institutionCertFile,
    keyFile: pki.institutionKeyFile,
    caFile: pki.clientCaFile,
    uiPort: terminalPort,
    // YZK/TKK request files in DIR/req are viewed as the demo's 医療情報閲覧者.
    options: { medinfoUser: 'viewer' },
  });
  const reader = await startReader({
    port: readerPort,
    cardsDir: join(dir, 'cards'),
    terminalUrl: terminal.url,
    tokenFile: terminal.readerTokenFile,
  });
  const portalDir = await ensurePortalDirectory(dir, {
    caDir: join(dir, 'pki', 'common-ca'),
    passphraseFile: pki.passphraseFile,
  });
  const portal = await startPortal({
    port: portalPort,
    operatorPort: portalPort === 0 ? 0 : portalPort + 1,
    store,
    dataDir: portalDir.dataDir,
    ca: { dir: portalDir.caDir, passphraseFile: portalDir.passphraseFile },
    smtp: 'mailbox',
    operatorLogins: portalDir.operatorLogins,
  });
  const [sample] = await sampleCardQueries(store, 1, 7);
  if (sample) process.stdout.write(tour(central.url, sample, dir, pki, cards));
  const operator = portalDir.operatorLogins[0]!;
  process.stdout.write(stations(central.url, terminal, reader.url, logins));
  process.stdout.write(`
  portal:    ${portal.url}/   医療機関等向けポータルサイト（メールは ${portal.url}/mailbox）
  operator:  ${portal.operatorUrl}/   運用者コンソール: ${operator.login} / ${operator.password}

onshi demo ready (Ctrl-C で停止 / to stop)
`);
  await waitForShutdown(async () => {
    await portal.close();
    await reader.close();
    await terminal.close();
    await central.close();
    await store.close();
  });
}

/** The URLs and logins, last so that they stay on screen (tests read the `…: URL` lines). */
function stations(
  centralUrl: string,
  terminal: RunningTerminal,
  readerUrl: string,
  logins: DemoLogin[],
): string {
  const width = Math.max(...logins.map((l) => l.login.length));
  return `
  central:   ${centralUrl}
  terminal:  ${terminal.url}   受付端末（職員画面） / staff UI
  reader:    ${readerUrl}   顔認証付きカードリーダー（患者画面） / the patient's reader screen
  folders:   ${terminal.dirs.req} → ${terminal.dirs.res}, ${terminal.dirs.face}

職員ログイン / staff logins (${join(terminal.dirs.root, 'logins.json')}):
${logins.map((l) => `  ${l.login.padEnd(width)}  ${l.password}  ${l.displayName} (${l.role})`).join('\n')}
`;
}

async function seedWhenEmpty(store: Store, persons: number): Promise<void> {
  const row = await store.get<{ n: number }>('select count(*) as n from persons');
  if (Number(row?.n ?? 0) > 0) return;
  const bar = progressBar({ label: '合成データを生成中', unit: 'persons' });
  await seedStore(store, { persons, seed: 1, onProgress: (done, total) => bar.update(done, total) });
  bar.done();
}

/** Medication history (claims) and 特定健診 results for the first persons, once. */
async function seedMedicalFor(store: Store): Promise<void> {
  const started = Date.now();
  const report = await seedMedicalWhenEmpty(store, { clock: { now: () => new Date() }, persons: 1000 });
  if (report) {
    process.stdout.write(
      `医療情報を生成しました / medical information seeded: ${report.medications.toLocaleString()} medications, ${report.checkupItems.toLocaleString()} check-up items (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
}

function requestFor(card: CardQuery): QualificationConfirmRequest {
  return {
    MessageHeader: {
      QualificationConfirmationDate: toWireDate(jstDate(new Date())),
      MedicalInstitutionCode: demoInstitutionCode,
      ArbitraryFileIdentifier: 'demo0001',
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: padInsurerNumber(card.insurerNumber),
        ...(card.cardSymbol ? { InsuredCardSymbol: card.cardSymbol } : {}),
        InsuredIdentificationNumber: card.cardNumber,
        ...(card.branchNumber ? { InsuredBranchNumber: card.branchNumber } : {}),
        Birthdate: toWireDate(card.birthdate),
        LimitApplicationCertificateRelatedConsFlg: '1',
      },
    },
  };
}

/** Writes sample request files and returns the text that tells the user how to try them. */
function tour(url: string, card: CardQuery, dir: string, pki: DemoPki, cards: DemoCards): string {
  const request = requestFor(card);
  const utf8 = join(dir, 'OQSsiquc01req_demo0001.xml');
  const sjis = join(dir, 'OQSsiquc01req_demo0002.xml');
  writeFileSync(utf8, encodeMessage(request, qualificationConfirmRequestSchema, { encoding: 'utf-8' }));
  writeFileSync(sjis, encodeMessage(request, qualificationConfirmRequestSchema, { encoding: 'shift_jis' }));
  const tls = `--cert ${pki.institutionCertFile} --key ${pki.institutionKeyFile} --cacert ${pki.clientCaFile}`;
  const flags = [
    `--url ${url}`,
    `--dir ${dir}`,
    `--insurer '${card.insurerNumber}'`,
    card.cardSymbol ? `--symbol '${card.cardSymbol}'` : '',
    `--number '${card.cardNumber}'`,
    card.branchNumber ? `--branch ${card.branchNumber}` : '',
    `--birthdate ${toWireDate(card.birthdate)}`,
  ].filter(Boolean);
  return `
onshi central (demo) が起動しました / is listening on ${url}

医療機関 ${demoInstitutionCode} のクライアント証明書 / the demo institution's client certificate:
  ${pki.institutionCertFile}

被保険者証情報で資格確認 / check a card (synthetic data):
  npx onshi check ${flags.join(' ')}
  curl -s ${tls} -X POST ${url}/oqs/v1/qualification-confirmations -H 'content-type: application/xml' --data-binary @${utf8}
  curl -s ${tls} -X POST ${url}/oqs/v1/qualification-confirmations -H 'content-type: application/xml' --data-binary @${sjis} | iconv -f CP932 -t UTF-8

連携フォルダで資格確認 / the receipt computer's way (the answer appears in ${join(dir, 'res')}):
  cp ${utf8} ${join(dir, 'req')}/

マイナンバーカードで資格確認 / check by My Number card (virtual cards, PIN ${DEMO_PIN}):
  npx onshi card check --url ${url} --dir ${dir} --card ${cards.files[0]} --pin ${DEMO_PIN}
  npx onshi card check --url ${url} --dir ${dir} --card ${cards.files[1]} --face
  npx onshi card register --url ${url} --dir ${dir} --card ${cards.unregistered[0]} --pin ${DEMO_PIN}   (初回登録)

API: ${url}/openapi.json   health: ${url}/health
`;
}
