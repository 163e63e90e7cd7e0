/**
 * Browser end-to-end test of the viewer (issue 5): a patient consents at the reader → the viewer
 * revokes it with 同意を取り消す (confirmed inline) → the header shows 取消 and central refuses a new
 * medication request with MEDINFO_CONSENT_REVOKED; the patient consents again → a viewer
 * (医療情報閲覧者) sees the medication history and the 特定健診 results with a trend chart → after
 * the consent has expired (the shared clock moved 24 h + 1 min) central refuses and the screen
 * says so with MEDINFO_CONSENT_EXPIRED; a clerk cannot open 医療情報.
 *
 * Built in-process, with the demo's own pieces (certificates, seeded population and medical
 * data, virtual cards, staff logins), so that central and the terminal can share a clock the test
 * moves: central judges the consent's expiry by it. Debian's Chromium via playwright-core.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  checkupItems,
  createLogger,
  type ItemKey,
  importCheckupFile,
  listByPerson,
  listCheckups,
  listMedications,
  loadConfigFromEnvironment,
  migrate,
  openStore,
  type RunningCentral,
  type Store,
  seedMedical,
  seedStore,
  startCentral,
} from '@onshi/central';
import { addYears, ageOn, type Clock, isQualificationValidOn, jstDate } from '@onshi/core';
import { type RunningReader, startReader } from '@onshi/reader';
import { type RunningTerminal, startTerminal } from '@onshi/terminal';
import type { Browser, Page } from 'playwright-core';
import { type CheckupResultSpec, encodeCheckup } from '../../central/src/medical/checkups.write.ts';
import { ensureDemoCards } from './demo-cards.ts';
import { demoInstitutionCode } from './demo-institution.ts';
import { type DemoLogin, ensureDemoLogins } from './demo-logins.ts';
import { demoTlsEnvironment, ensureDemoPki } from './demo-pki.ts';
import { launchChromium } from './test/browser.ts';

const HOUR = 3600_000;
const PHARMACY_FLAG = 'PharmacistsInfoConsFlg';
const CHECKUP_FLAG = 'SpecificHealthCheckupsInfoConsFlg';

/** The clock central and the terminal share; the test moves it. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}

/** Synthetic results per examination (oldest first): blood pressure and HbA1c rising past their ranges. */
const examValues: readonly Readonly<Partial<Record<ItemKey, string>>>[] = [
  {
    height: '165.2',
    weight: '63.0',
    bmi: '23.1',
    systolic: '124',
    diastolic: '78',
    ldl: '112',
    hba1c: '5.4',
    urineSugar: '1',
  },
  {
    height: '165.0',
    weight: '65.4',
    bmi: '24.0',
    systolic: '131',
    diastolic: '83',
    ldl: '125',
    hba1c: '5.7',
    urineSugar: '1',
  },
  {
    height: '165.1',
    weight: '66.8',
    bmi: '24.5',
    systolic: '138',
    diastolic: '86',
    ldl: '131',
    hba1c: '5.9',
    urineSugar: '2',
  },
];

/**
 * The person's 特定健診 examinations of the last 5 years; when fewer than two, yearly ones are
 * written for the years the person was 40–74 and insured (CDA XML through importCheckupFile).
 * Returns the number of examinations.
 */
async function ensureCheckups(store: Store, personId: number, today: string): Promise<number> {
  const examsOf = async () =>
    new Set(
      (await listCheckups(store, personId, { from: addYears(today, -5), to: today })).map((c) => c.examDate),
    ).size;
  if ((await examsOf()) >= 2) return examsOf();
  const person = await store.get<{ name_kana: string; sex: string; birthdate: string }>(
    'select name_kana, sex, birthdate from persons where person_id = ?',
    [personId],
  );
  if (person === undefined) return 0;
  const qualifications = await listByPerson(store, personId);
  const dates: { date: string; q: (typeof qualifications)[number] }[] = [];
  for (let years = 4; years >= 1; years--) {
    const date = addYears(today, -years);
    const q = qualifications.find((x) => isQualificationValidOn(x, date));
    const age = ageOn(person.birthdate, date);
    if (q !== undefined && age >= 40 && age <= 74) dates.push({ date, q });
  }
  for (const [n, { date, q }] of dates.slice(-examValues.length).entries()) {
    const values = examValues[n]!;
    const results = checkupItems.flatMap((item): CheckupResultSpec[] => {
      const value = values[item.key];
      if (value === undefined) return [];
      if (item.valueType === 'CO') {
        return [
          {
            code: item.codes[0]!,
            name: item.name,
            type: 'CO' as const,
            value,
            display: value === '1' ? '－' : '±',
          },
        ];
      }
      const high = item.high;
      const interpretation =
        high !== undefined && Number(value) > Number(high)
          ? 'H'
          : item.low !== undefined && Number(value) < Number(item.low)
            ? 'L'
            : 'N';
      return [
        {
          code: item.codes[0]!,
          name: item.name,
          type: 'PQ' as const,
          value,
          ...(item.unit ? { unit: item.unit } : {}),
          ...(item.low ? { low: item.low } : {}),
          ...(high ? { high } : {}),
          ...(item.low || high ? { interpretation } : {}),
        },
      ];
    });
    const content = encodeCheckup({
      documentId: `e2e-${personId}-${date}`,
      insurerNumber: q.insurerNumber,
      cardSymbol: q.cardSymbol,
      cardNumber: q.cardNumber,
      branchNumber: q.branchNumber,
      nameKana: person.name_kana,
      sex: person.sex,
      birthdate: person.birthdate,
      examDate: date,
      institutionCode: demoInstitutionCode,
      institutionName: 'オンシ健診クリニック',
      results,
    });
    const report = await importCheckupFile(store, {
      fileId: `e2e-checkup-${personId}-${date}`,
      content,
      clock,
    });
    assert.ok(report.accepted, JSON.stringify(report.problems));
  }
  return examsOf();
}

const dir = mkdtempSync(join(tmpdir(), 'onshi-medinfo-e2e-'));
const clock = movableClock();
let store: Store;
let central: RunningCentral;
let terminal: RunningTerminal;
let reader: RunningReader;
let browser: Browser;
let logins: DemoLogin[];
/** The reader's card (card-N) whose holder has both medications and check-ups, and that person. */
let card: { testid: string; personId: number };

before(async () => {
  const pki = await ensureDemoPki(dir);
  const config = loadConfigFromEnvironment({
    ONSHI_STORE: `sqlite:${join(dir, 'demo.db')}`,
    ONSHI_PORT: '0',
    ...demoTlsEnvironment(pki),
    ONSHI_FEED_TOKEN_FILE: pki.feedTokenFile,
    ONSHI_JPKI_DIR: join(dir, 'pki', 'jpki'),
    ONSHI_JPKI_PASSPHRASE_FILE: pki.passphraseFile,
  });
  store = openStore(config.storeUrl);
  await migrate(store);
  await seedStore(store, { persons: 200, seed: 1 });
  // Medical information for the first persons, the demo's card holders among them.
  await seedMedical(store, { clock, persons: 60 });
  const cards = await ensureDemoCards(store, dir, pki.passphraseFile);
  // The reader labels the cards 1, 2 … in this order: the patient is the first holder of a
  // registered card with medications in the last 3 years, aged 40–74 in at least two recent years
  // (特定健診 age). The generator gives a 特定健診 only to some; when the holder has fewer than two,
  // two yearly examinations are written as 特定健診 XML and imported through the real parser.
  const today = jstDate(clock.now());
  for (const [index, file] of cards.files.entries()) {
    if (cards.unregistered.includes(file)) continue;
    const personId = Number(/person-(\d+)\.card\.json$/.exec(basename(file))?.[1]);
    const medications = await listMedications(store, personId, { from: addYears(today, -3), to: today });
    if (medications.length === 0) continue;
    const exams = await ensureCheckups(store, personId, today);
    if (exams >= 2) {
      card = { testid: `card-${index + 1}`, personId };
      break;
    }
  }
  assert.ok(card, 'a registered demo card holder has medications and two 特定健診 examinations');
  const logger = createLogger(undefined, { quiet: true });
  central = await startCentral(config, { store, clock, logger });
  terminal = await startTerminal(
    {
      dir,
      centralUrl: central.url,
      certFile: pki.institutionCertFile,
      keyFile: pki.institutionKeyFile,
      caFile: pki.clientCaFile,
      uiPort: 0,
      // The staff sessions outlive the moved clock: the refusal is central's, not a logout.
      users: { sessionMs: 7 * 24 * HOUR },
    },
    { clock },
  );
  logins = await ensureDemoLogins(dir, terminal);
  reader = await startReader({
    port: 0,
    cardsDir: join(dir, 'cards'),
    terminalUrl: terminal.url,
    tokenFile: terminal.readerTokenFile,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await reader?.close();
  await terminal?.close();
  await central?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function staffPage(login: 'admin' | 'clerk' | 'viewer'): Promise<Page> {
  const account = logins.find((l) => l.login === login)!;
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await page.goto(terminal.url);
  await page.getByTestId('login-user').fill(account.login);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').filter({ hasText: account.displayName }).waitFor();
  return page;
}

async function readerState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="screen"][data-state="${state}"]:not([data-busy="true"])`).waitFor();
}

/** The patient at the reader: card, PIN 1234, yes to 薬剤 and 特定健診, then the 限度額 screen. */
async function patientConsents(): Promise<void> {
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await page.goto(reader.url);
  await page.getByTestId('card-list').waitFor();
  await page.getByTestId(card.testid).click();
  await readerState(page, 'method');
  await page.getByTestId('method-pin').click();
  await readerState(page, 'pin');
  for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-ok').click();
  const shown: string[] = [];
  for (;;) {
    await page.locator('[data-testid="screen"]:not([data-busy="true"])').waitFor();
    const state = await page.getByTestId('screen').getAttribute('data-state');
    if (state !== 'consent') {
      assert.equal(state, 'done', `the reader ended in ${state}`);
      break;
    }
    const screen = (await page.getByTestId('consent-text').getAttribute('data-screen'))!;
    shown.push(screen);
    await page.getByTestId('consent-yes').click();
    await page
      .locator(`[data-testid="consent-text"][data-screen="${screen}"]`)
      .waitFor({ state: 'detached' });
  }
  assert.deepEqual(shown.slice(0, 2), [PHARMACY_FLAG, CHECKUP_FLAG]);
  await page.context().close();
}

/** Polls `condition` (the page updates on its own) for up to 10 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Distinct values of a column of the audit records of one action. */
async function auditUsers(action: string): Promise<string[]> {
  const rows = await store.all<{ terminal_user: string | null }>(
    'select distinct terminal_user from audit_records where action = ? order by terminal_user',
    [action],
  );
  return rows.map((r) => String(r.terminal_user));
}

// Before any clock move: the consent is live, so the refusal that follows is the revocation's.
test('同意を取り消す: the viewer revokes the patient’s consent → 取消 on the header → central refuses with MEDINFO_CONSENT_REVOKED', async () => {
  await patientConsents();
  const viewer = await staffPage('viewer');
  await viewer.getByTestId('nav-medinfo').click();
  await viewer.getByTestId('view-medinfo').waitFor();
  const entry = viewer.getByTestId('medinfo-patient').first();
  await entry.waitFor();
  assert.equal(await entry.getAttribute('data-consent-medications'), 'live');
  await entry.getByTestId('medinfo-patient-open').click();
  await viewer.getByTestId('medinfo-patient-view').waitFor();
  await viewer.getByTestId('medinfo-med-row').first().waitFor();
  const medications = viewer.getByTestId('medinfo-consent-medications');
  assert.equal(await medications.getAttribute('data-state'), 'live');

  // An inline confirmation first: やめる leaves the consent as it was.
  await viewer.getByTestId('medinfo-revoke-button').click();
  await viewer.getByTestId('medinfo-revoke-cancel').click();
  assert.equal(await viewer.getByTestId('medinfo-revoke-done').count(), 0);
  await viewer.getByTestId('medinfo-revoke-button').click();
  await viewer.getByTestId('medinfo-revoke-confirm').click();
  await viewer.getByTestId('medinfo-revoke-done').waitFor();
  for (const kind of ['medications', 'checkups']) {
    const badge = viewer.getByTestId(`medinfo-consent-${kind}`);
    assert.equal(await badge.getAttribute('data-state'), 'revoked', kind);
    assert.match((await badge.textContent()) ?? '', /取消/);
  }
  const revocations = await store.all<{ revoked_at: number | null; revoke_reason: string | null }>(
    'select revoked_at, revoke_reason from consents where person_id = ? and revoked_at is not null',
    [card.personId],
  );
  assert.ok(revocations.length >= 2, 'central ended the 薬剤 and 特定健診 consents');
  assert.ok(
    revocations.every((r) => r.revoke_reason === '1'),
    'OQSCD031 1: revoked by the institution',
  );

  // A new request for the medications (the period form asks central again) is refused.
  await viewer.getByTestId('medinfo-filter-apply').click();
  const refusal = viewer.getByTestId('medinfo-medications-error');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('data-code'), 'MEDINFO_CONSENT_REVOKED');
  assert.match((await refusal.textContent()) ?? '', /同意が撤回されています（MEDINFO_CONSENT_REVOKED）/);
  assert.equal(await viewer.getByTestId('medinfo-med-row').count(), 0);
  assert.equal(await medications.getAttribute('data-state'), 'revoked');

  // The picker shows 取消 for that session after a reload (kept in terminal.db).
  await viewer.reload();
  const again = viewer.getByTestId('medinfo-patient').first();
  await again.waitFor();
  assert.equal(await again.getAttribute('data-consent-medications'), 'revoked');
  await viewer.context().close();
});

test('patient consents at the reader → a viewer sees medications and a check-up chart → after expiry access is refused', async () => {
  // The administrator keeps the 薬剤 and 特定健診 consent screens on (the first-start default).
  const admin = await staffPage('admin');
  await admin.getByTestId('nav-settings').click();
  for (const flag of [PHARMACY_FLAG, CHECKUP_FLAG])
    await admin.getByTestId(`settings-consent-${flag}`).check();
  await admin.getByTestId('settings-save').click();
  await admin.getByTestId('settings-saved').waitFor();
  await admin.context().close();

  await patientConsents();

  // The viewer opens 医療情報 and picks the patient from the recent reader sessions.
  const viewer = await staffPage('viewer');
  await viewer.getByTestId('nav-medinfo').click();
  await viewer.getByTestId('view-medinfo').waitFor();
  const entry = viewer.getByTestId('medinfo-patient').first();
  await entry.waitFor();
  assert.equal(await entry.getAttribute('data-consent-medications'), 'live');
  assert.equal(await entry.getAttribute('data-consent-checkups'), 'live');
  await entry.getByTestId('medinfo-patient-open').click();
  await viewer.getByTestId('medinfo-patient-view').waitFor();
  const consent = viewer.getByTestId('medinfo-consent-medications');
  assert.equal(await consent.getAttribute('data-state'), 'live');
  assert.match((await consent.textContent()) ?? '', /同意あり（有効期限 /);

  // 薬剤情報: every medication of the last 3 years, by month and institution.
  const today = jstDate(clock.now());
  const stored = await listMedications(store, card.personId, { from: addYears(today, -3), to: today });
  const rows = viewer.getByTestId('medinfo-med-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), stored.length, 'one row per stored medication');
  const months: string[] = [];
  for (const month of await viewer.getByTestId('medinfo-month').all()) {
    months.push((await month.getAttribute('data-month')) ?? '');
  }
  assert.deepEqual(months, [...months].sort().reverse(), 'latest month first');
  assert.equal(
    new Set(months).size,
    new Set(stored.map((m) => m.serviceDate.slice(0, 7))).size,
    'the months of the stored medications',
  );
  // The drug-name filter narrows the rows to that drug.
  const drug = stored[stored.length - 1]!.drugName;
  await viewer.getByTestId('medinfo-filter-drug').fill(drug);
  const withDrug = stored.filter((m) => m.drugName.includes(drug)).length;
  await until(async () => (await rows.count()) === withDrug, `${withDrug} rows of ${drug}`);
  for (const name of await viewer.getByTestId('medinfo-med-drug').allTextContents()) {
    assert.ok(name.includes(drug), `${name} matches the filter ${drug}`);
  }

  // 特定健診: the table, latest examination first, and a chart with one point per examination.
  const checkups = await listCheckups(store, card.personId, { from: addYears(today, -5), to: today });
  const examDates = [...new Set(checkups.map((c) => c.examDate))].sort().reverse();
  await viewer.getByTestId('medinfo-checkup-table').waitFor();
  assert.deepEqual(await viewer.getByTestId('medinfo-checkup-date').allTextContents(), examDates);
  const weight = checkups.filter((c) => c.itemCode === '9N006000000000001');
  assert.ok(weight.length >= 2, 'weight measured at each examination');
  const chart = viewer.getByTestId('checkup-chart-9N006000000000001');
  await chart.waitFor();
  assert.equal(await chart.locator('svg circle').count(), weight.length);
  const sbp = checkups.filter((c) => c.itemCode === '9A755000000000001');
  const sbpChart = viewer.getByTestId('checkup-chart-9A755000000000001');
  assert.equal(await sbpChart.locator('svg circle').count(), sbp.length);
  assert.equal(await sbpChart.locator('rect.range-band').count(), 1, 'the reference range as a band');
  // Values outside the reference range are highlighted in the table.
  const high = checkups.filter((c) =>
    c.interpretation
      ? c.interpretation === 'H'
      : c.referenceHigh !== null && Number(c.value) > Number(c.referenceHigh),
  );
  assert.ok(high.length > 0, 'the patient has a value above its reference range');
  const flagged = await viewer.locator('[data-testid="medinfo-checkup-value"][data-flag="high"]').count();
  assert.equal(flagged, high.length);

  // Print / PDF: central's PDF through the terminal.
  const href = await viewer.getByTestId('medinfo-print-medications').getAttribute('href');
  assert.ok(href);
  const pdf = await viewer.request.get(new URL(href, terminal.url).toString());
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

  // Central recorded the views under the viewer's login, and the card check under the reader.
  assert.deepEqual(await auditUsers('view-medication'), ['viewer']);
  assert.deepEqual(await auditUsers('view-checkup'), ['viewer']);
  assert.deepEqual(await auditUsers('check-card'), ['reader']);

  // A day later (24 h + 1 min): the outpatient consent has expired; central refuses.
  clock.advance(24 * HOUR + 60_000);
  await viewer.reload();
  await viewer.getByTestId('view-medinfo').waitFor();
  const later = viewer.getByTestId('medinfo-patient').first();
  await later.waitFor();
  assert.equal(await later.getAttribute('data-consent-medications'), 'expired');
  await later.getByTestId('medinfo-patient-open').click();
  const refusal = viewer.getByTestId('medinfo-medications-error');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('data-code'), 'MEDINFO_CONSENT_EXPIRED');
  assert.match(
    (await refusal.textContent()) ?? '',
    /同意の有効期限が切れています（MEDINFO_CONSENT_EXPIRED）/,
  );
  const checkupRefusal = viewer.getByTestId('medinfo-checkups-error');
  await checkupRefusal.waitFor();
  assert.equal(await checkupRefusal.getAttribute('data-code'), 'MEDINFO_CONSENT_EXPIRED');
  assert.equal(await viewer.getByTestId('medinfo-med-row').count(), 0);
  assert.equal(await viewer.getByTestId('medinfo-consent-medications').getAttribute('data-state'), 'expired');
  await viewer.context().close();
});

test('a clerk cannot open 医療情報: no menu entry, the route falls back, the API refuses by role', async () => {
  const clerk = await staffPage('clerk');
  assert.equal(await clerk.getByTestId('nav-medinfo').isHidden(), true);
  await clerk.goto(`${terminal.url}#/medinfo`);
  await clerk.getByTestId('view-check').waitFor();
  assert.equal(await clerk.getByTestId('view-medinfo').count(), 0);
  const me = await (await clerk.request.get(new URL('api/me', terminal.url).toString())).json();
  const asked = await clerk.request.post(new URL('api/medications', terminal.url).toString(), {
    headers: { 'x-onshi-csrf': me.csrf, 'content-type': 'application/json' },
    data: { insurerNumber: '06139994', number: '1' },
  });
  assert.equal(asked.status(), 403);
  assert.equal((await asked.json()).code, 'TERMINAL_ROLE_FORBIDDEN');
  await clerk.context().close();
});
