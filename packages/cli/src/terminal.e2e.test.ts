/**
 * Browser end-to-end tests of the terminal's 一括照会 and 災害時 screens, central and the terminal
 * in this process (test/terminal-world.ts) over central's eligibility scenario.
 *
 * - 一括照会: a clerk uploads a Shift_JIS CSV with every OQSCD006 outcome, a 限度額 change and two
 *   malformed rows → the rows are listed by number and the file is not sent → 正しい行だけ送信する
 *   → progress to 6 of 6 → the results with the problems first → the filter → both CSV exports
 *   download (UTF-8 with a BOM, Shift_JIS).
 * - 一括照会 of 1,201 rows: the results a page of 500 at a time (previous / next, the range shown),
 *   a filter starts again at the first page.
 * - 照会番号一括登録: a clerk uploads a Shift_JIS CSV of 照会番号 with two malformed rows → the rows
 *   by number → the valid rows sent → the results problems first (refused, 処理エラー, 登録済み) →
 *   filter → both CSV exports (a formula-like identifier written with a leading ').
 * - 災害時: a declaration for the institution's municipality is opened through central's disaster
 *   service → a viewer searches by kana and birth date with a reason → opens the person's 薬剤情報
 *   (the medication central holds) → after the declaration is closed the search is refused with
 *   DISASTER_PERIOD_OVER on the screen. A clerk sees neither 災害時 nor its API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createAuditLog, createDisasterService, type DisasterService } from '@onshi/central';
import { encodeCp932 } from '@onshi/core';
import * as scenario from '../../central/src/eligibility/eligibility.scenario.ts';
import { card, referenceCsv, reservationCsv } from '../../terminal/src/test/batch.ts';
import { medicalData } from '../../terminal/src/test/station.ts';
import { demoInstitutionCode } from './demo-institution.ts';
import { startTerminalWorld, type TerminalWorld } from './test/terminal-world.ts';

const HOUR = 3600_000;
let world: TerminalWorld;
let disaster: DisasterService;

before(async () => {
  world = await startTerminalWorld('terminal', async (store) => {
    await scenario.writeScenario(store);
    // The newJob card's holder (試験　太郎, born 1980-05-05) has a dispensing last month.
    await medicalData(
      store,
      {
        name: '試験　太郎',
        sex: '1',
        birthdate: '1980-05-05',
        insurerNumber: scenario.newJob.insurer,
        cardSymbol: scenario.newJob.symbol!,
        cardNumber: scenario.newJob.number,
        branchNumber: '',
      },
      demoInstitutionCode,
    );
  });
  const clock = { now: () => new Date() };
  disaster = createDisasterService({
    store: world.store,
    clock,
    audit: createAuditLog({ store: world.store, clock }),
  });
});

after(() => world?.close());

test('一括照会: malformed rows by number → send the valid rows → progress → problems first → CSV exports', async () => {
  const page = await world.staffPage('clerk', { acceptDownloads: true });
  await page.getByTestId('nav-batch').click();
  await page.getByTestId('view-batch').waitFor();
  await page.getByTestId('batch-file').setInputFiles({
    name: 'yoyaku.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(encodeCp932(reservationCsv)),
  });
  const problems = page.getByTestId('batch-problems');
  await problems.waitFor();
  assert.equal(await problems.getAttribute('data-count'), '2');
  const rows = await page
    .getByTestId('batch-problem')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-column')]));
  assert.deepEqual(rows, [
    ['8', '保険者番号'],
    ['9', '予約日'],
    ['9', '限度額同意'],
  ]);
  assert.match(
    (await page.getByTestId('batch-check').textContent()) ?? '',
    /8 行（正しい行 6、誤りのある行 2）・Shift_JIS/,
  );
  assert.equal(await page.getByTestId('batch-send').count(), 0, 'the whole file cannot be sent');

  await page.getByTestId('batch-send-valid').click();
  const detail = page.locator('[data-testid="batch-detail"][data-state="done"]');
  await detail.waitFor({ timeout: 30_000 });
  const progress = page.getByTestId('batch-progress');
  assert.equal(await progress.getAttribute('max'), '6');
  assert.equal(await progress.evaluate((p) => (p as unknown as { value: number }).value), 6);
  assert.match((await page.getByTestId('batch-progress-text').textContent()) ?? '', /6 行中 6 行/);
  const results = await page
    .getByTestId('batch-result')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-outcome')]));
  assert.deepEqual(results, [
    ['8', 'rejected'],
    ['9', 'rejected'],
    ['3', 'invalid'],
    ['4', 'invalidNew'],
    ['5', 'notFound'],
    ['6', 'multiple'],
    ['7', 'limitChanged'],
    ['2', 'valid'],
  ]);
  assert.equal(await page.getByTestId('batch-result-outcome').first().textContent(), '未送信（CSVの誤り）');

  await page.getByTestId('batch-filter').selectOption('problems');
  await page.locator('[data-testid="batch-result"][data-outcome="valid"]').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('batch-result').count(), 7);

  const [utf8] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('batch-export-utf8').click(),
  ]);
  const utf8Bytes = readFileSync((await utf8.path())!);
  assert.deepEqual([...utf8Bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so that Excel reads UTF-8');
  const lines = utf8Bytes.toString('utf8').slice(1).trim().split('\r\n');
  assert.equal(lines.length, 8, 'the header and the 7 problems (the filter applies)');
  assert.match(lines[1]!, /^8,未送信（CSVの誤り）,/);
  const [sjis] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('batch-export-sjis').click(),
  ]);
  const sjisText = new TextDecoder('shift_jis').decode(readFileSync((await sjis.path())!));
  assert.ok(sjisText.startsWith('行,結果,任意の識別子'));
  assert.match(sjisText, /患者-限度額/);

  // A reload finds the batch in the list.
  await page.reload();
  await page.getByTestId('batch-item').first().waitFor();
  assert.equal(await page.getByTestId('batch-item').first().getAttribute('data-state'), 'done');
  await page.context().close();
});

test('一括照会 of 1,201 rows: the results 500 at a time; a filter starts again at the first page', async () => {
  const page = await world.staffPage('clerk');
  await page.getByTestId('nav-batch').click();
  await page.getByTestId('view-batch').waitFor();
  const header = reservationCsv.split('\r\n')[0]!;
  const { newJob } = scenario;
  const lines = Array.from({ length: 1201 }, (_, i) =>
    ['2024-06-01', ...card(newJob), newJob.birthdate, '0', `予約-${i + 1}`].join(','),
  );
  await page.getByTestId('batch-file').setInputFiles({
    name: 'yoyaku-1201.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(encodeCp932([header, ...lines].join('\r\n'))),
  });
  await page.getByTestId('batch-send').click();
  await page.locator('[data-testid="batch-detail"][data-state="done"]').waitFor({ timeout: 60_000 });
  const range = page.getByTestId('batch-page-range');
  const shown = () =>
    page.getByTestId('batch-result').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
  let rows = await shown();
  assert.equal(rows.length, 500);
  assert.deepEqual([rows[0], rows.at(-1)], ['2', '501'], 'CSV rows 2–501 (row 1 is the header)');
  assert.match((await range.textContent()) ?? '', /1〜500 行目を表示（全 1,201 行）/);
  assert.equal(await page.getByTestId('batch-page-prev').isDisabled(), true);

  await page.getByTestId('batch-page-next').click();
  await page.locator('[data-testid="batch-result"][data-row="502"]').waitFor();
  assert.match((await range.textContent()) ?? '', /501〜1,000 行目/);
  await page.getByTestId('batch-page-next').click();
  await page.locator('[data-testid="batch-result"][data-row="1202"]').waitFor();
  rows = await shown();
  assert.deepEqual([rows.length, rows[0]], [201, '1002']);
  assert.match((await range.textContent()) ?? '', /1,001〜1,201 行目/);
  assert.equal(await page.getByTestId('batch-page-next').isDisabled(), true);

  await page.getByTestId('batch-filter').selectOption('problems');
  await page.getByTestId('batch-pager').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('batch-result').count(), 0, 'no problems: one (empty) page');
  await page.getByTestId('batch-filter').selectOption('all');
  await page.locator('[data-testid="batch-result"][data-row="2"]').waitFor();
  assert.match((await range.textContent()) ?? '', /1〜500 行目/);
  await page.context().close();
});

test('照会番号一括登録: the CSV checked by row → the valid rows sent → problems first → CSV export', async () => {
  const page = await world.staffPage('clerk', { acceptDownloads: true });
  await page.getByTestId('nav-refbatch').click();
  await page.getByTestId('view-refbatch').waitFor();
  assert.equal(await page.getByTestId('batch-day-section').count(), 0, 'no day’s list for registrations');
  assert.equal(
    await page.getByTestId('batch-item').count(),
    0,
    'the 一括照会 batches are not listed on this screen',
  );
  await page.getByTestId('batch-file').setInputFiles({
    name: 'shoukai.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(encodeCp932(referenceCsv)),
  });
  const problems = page.getByTestId('batch-problems');
  await problems.waitFor();
  assert.equal(await problems.getAttribute('data-count'), '2');
  const rows = await page
    .getByTestId('batch-problem')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-code')]));
  assert.deepEqual(rows, [
    ['5', 'INSURER_NUMBER_INVALID'],
    ['6', 'MSG_FIELD_REQUIRED'],
  ]);
  assert.match(
    (await page.getByTestId('batch-check').textContent()) ?? '',
    /5 行（正しい行 3、誤りのある行 2）・Shift_JIS/,
  );
  assert.equal(await page.getByTestId('batch-send').count(), 0, 'the whole file cannot be sent');

  await page.getByTestId('batch-send-valid').click();
  await page.locator('[data-testid="batch-detail"][data-state="done"]').waitFor({ timeout: 30_000 });
  assert.match((await page.getByTestId('batch-progress-text').textContent()) ?? '', /3 行中 3 行/);
  const results = await page
    .getByTestId('batch-result')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-outcome')]));
  assert.deepEqual(results, [
    ['5', 'rejected'],
    ['6', 'rejected'],
    ['3', 'error'],
    ['4', 'error'],
    ['2', 'registered'],
  ]);
  assert.deepEqual(await page.getByTestId('batch-result-outcome').allTextContents(), [
    '未送信（CSVの誤り）',
    '未送信（CSVの誤り）',
    '処理エラー',
    '処理エラー',
    '登録済み',
  ]);
  assert.equal(await page.getByTestId('batch-result-reference').last().textContent(), 'P-0001');
  assert.match((await page.getByTestId('batch-result-card').last().textContent()) ?? '', /22 ・ 3001/);
  assert.match(
    (await page.getByTestId('batch-result-message').nth(2).textContent()) ?? '',
    /REFERENCE_NUMBER_TARGET_AMBIGUOUS/,
  );

  await page.getByTestId('batch-filter').selectOption('registered');
  await page
    .locator('[data-testid="batch-result"][data-outcome="error"]')
    .first()
    .waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('batch-result').count(), 1);
  await page.getByTestId('batch-filter').selectOption('all');
  const [utf8] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('batch-export-utf8').click(),
  ]);
  const lines = readFileSync((await utf8.path())!)
    .toString('utf8')
    .slice(1)
    .trim()
    .split('\r\n');
  assert.equal(
    lines[0],
    '行,結果,任意の識別子,照会番号,保険者番号,記号,番号,枝番,生年月日,コード,メッセージ',
  );
  assert.equal(lines.length, 6);
  assert.match(lines[5]!, /^2,登録済み,'=1\+1,P-0001,/, "a formula-like identifier gets a leading '");
  const [sjis] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('batch-export-sjis').click(),
  ]);
  const sjisText = new TextDecoder('shift_jis').decode(readFileSync((await sjis.path())!));
  assert.match(sjisText, /受付-双子,P-0002,/);

  // The 一括照会 screen does not list the registration.
  await page.getByTestId('nav-batch').click();
  await page.getByTestId('view-batch').waitFor();
  await page.getByTestId('batch-list').locator('li').first().waitFor();
  for (const item of await page.getByTestId('batch-item').all()) {
    assert.notEqual(await item.textContent(), null);
    assert.ok(!((await item.textContent()) ?? '').includes('shoukai.csv'));
  }
  await page.context().close();
});

test('災害時: a declaration opened → search with a reason → the person’s 薬剤情報 → closed: refused', async () => {
  await disaster.locate(demoInstitutionCode, '13101');
  const now = Date.now();
  const declaration = await disaster.open({
    name: '首都直下地震（試験）',
    municipalities: ['13101'],
    startsAt: new Date(now - HOUR),
    endsAt: new Date(now + 24 * HOUR),
  });
  const page = await world.staffPage('viewer');
  await page.getByTestId('nav-disaster').click();
  await page.getByTestId('view-disaster').waitFor();
  await page.getByTestId('disaster-kana').fill('シケン タロウ');
  await page.getByTestId('disaster-birthdate').fill('1980-05-05');
  await page.getByTestId('disaster-submit').click();
  assert.equal(await page.getByTestId('field-error-disaster-reason').textContent(), '入力してください');
  await page.getByTestId('disaster-reason').fill('避難所から搬送、意識なし');
  await page.getByTestId('disaster-submit').click();
  const person = page.getByTestId('disaster-person').first();
  await person.waitFor();
  assert.equal(
    await page.getByTestId('disaster-results').getAttribute('data-declaration'),
    String(declaration.declarationId),
  );
  assert.equal(await page.getByTestId('disaster-person-name').first().textContent(), '試験　太郎');
  await person.getByTestId('disaster-person-open').click();
  await page.getByTestId('medinfo-patient-disaster').waitFor();
  const row = page.getByTestId('medinfo-med-row').first();
  await row.waitFor();
  assert.equal(await page.getByTestId('medinfo-med-row').count(), 1);
  assert.match((await page.getByTestId('medinfo-disaster-reason').textContent()) ?? '', /避難所から搬送/);
  assert.equal(await page.getByTestId('medinfo-revoke').count(), 0, 'no consent to revoke in disaster mode');
  const audit = await world.store.all<{ action: string; terminal_user: string }>(
    "select action, terminal_user from audit_records where reason like '%避難所から搬送、意識なし'",
  );
  assert.ok(audit.some((a) => a.action === 'disaster-search' && a.terminal_user === 'viewer'));
  assert.ok(audit.some((a) => a.action === 'view-medication' && a.terminal_user === 'viewer'));

  await disaster.close(declaration.declarationId);
  await page.getByTestId('disaster-submit').click();
  const refusal = page.getByTestId('disaster-error');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('data-code'), 'DISASTER_PERIOD_OVER');
  assert.match(
    (await refusal.textContent()) ?? '',
    /災害時モードの期間が終わっています（DISASTER_PERIOD_OVER）/,
  );
  await page.context().close();

  const clerk = await world.staffPage('clerk');
  assert.equal(await clerk.getByTestId('nav-disaster').isHidden(), true);
  await clerk.context().close();
});
