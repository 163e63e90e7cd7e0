/**
 * 照会番号一括登録 (OQSmuimm) from the staff UI API against a real central with its batch worker
 * (SQLite and PostgreSQL): a Shift_JIS CSV of 照会番号 with card data → the malformed rows listed by
 * row and column → only the valid rows sent → the results with the problems first (refused rows,
 * central's 該当なし / 複数該当, then 登録済み) with the card data of every row → the number is
 * registered at central → CSV export with a formula-like cell neutralised.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { encodeCp932 } from '@onshi/core';
import * as scenario from '../../../central/src/eligibility/eligibility.scenario.ts';
import { forEachStore } from '../../../central/src/test/stores.ts';
import type { RunningTerminal } from '../station/station.start.ts';
import { referenceCsv } from '../test/batch.ts';
import { createStationWorld, type Json, loginAs, type StationWorld } from '../test/station.ts';

forEachStore('terminal: 照会番号一括登録 API', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  let batchId: string;
  const clerk = () => loginAs(terminal, 'clerk', 'clerk-password-1');
  const upload = {
    kind: 'register',
    fileName: 'shoukai.csv',
    content: Buffer.from(encodeCp932(referenceCsv)).toString('base64'),
  };

  before(async () => {
    fixture = await createStationWorld(store());
    await scenario.writeScenario(store());
    terminal = await fixture.startTerminal({ batchPollMs: 0 });
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
  });
  after(() => fixture.dispose());

  it('checks the rows: 照会番号 required, the card validated, no 資格確認日 needed', async () => {
    const answer = await (await clerk()).call('api/batches/check', { body: upload });
    assert.equal(answer.status, 200, answer.text);
    const check = answer.json();
    assert.equal(check.encoding, 'shift_jis');
    assert.equal(check.total, 5);
    assert.equal(check.valid, 3);
    assert.deepEqual(
      check.problems.map((p: Json) => [p.row, p.column, p.code]),
      [
        [5, '保険者番号', 'INSURER_NUMBER_INVALID'],
        [6, '照会番号', 'MSG_FIELD_REQUIRED'],
      ],
    );
    assert.deepEqual(check.dates, []);
    const day = await (await clerk()).call('api/batches/check', {
      body: { kind: 'register', source: 'day' },
    });
    assert.equal(day.json().code, 'MSG_FIELD_INVALID', 'the day’s list is for 一括照会 only');
  });

  it('sends the valid rows, then the results problems first with every row’s card data', async () => {
    const staff = await clerk();
    assert.equal(
      (await staff.call('api/batches', { body: upload })).json().code,
      'TERMINAL_BATCH_ROWS_INVALID',
    );
    const started = await staff.call('api/batches', { body: { ...upload, sendValidOnly: true } });
    assert.equal(started.status, 201, started.text);
    const { batch } = started.json();
    batchId = batch.id;
    assert.equal(batch.kind, 'register');
    assert.equal(batch.total, 3);
    assert.equal(batch.rejected, 2);
    assert.equal(batch.receptions.length, 1, 'one upload: 照会番号一括登録 has no 資格確認日');
    assert.match(batch.receptions[0].receptionNumber, /^\d{20}$/);

    const deadline = Date.now() + 30_000;
    let done: Json;
    for (;;) {
      done = (await staff.call(`api/batches/${batchId}`)).json().batch;
      if (done.state === 'done') break;
      assert.ok(Date.now() < deadline, 'the registration batch finishes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(
      done.outcomes.map((o: Json) => [o.outcome, o.label.ja, o.problem]),
      [
        ['rejected', '未送信（CSVの誤り）', true],
        ['error', '処理エラー', true],
        ['registered', '登録済み', false],
      ],
    );
    assert.deepEqual(
      done.results.map((r: Json) => [r.row, r.outcome, r.code ?? null, r.referenceNumber ?? null]),
      [
        [5, 'rejected', 'INSURER_NUMBER_INVALID', null],
        [6, 'rejected', 'MSG_FIELD_REQUIRED', null],
        [3, 'error', 'REFERENCE_NUMBER_TARGET_AMBIGUOUS', 'P-0002'],
        [4, 'error', 'REFERENCE_NUMBER_TARGET_NOT_FOUND', 'P-0003'],
        [2, 'registered', null, 'P-0001'],
      ],
    );
    const registered = done.results[4];
    assert.equal(registered.identifier, '=1+1');
    assert.equal(registered.insurerNumber, scenario.newJob.insurer, 'the card data of a registered row too');
    assert.equal(registered.number, scenario.newJob.number);
    assert.equal(registered.birthdate, '1980-05-05');
    assert.deepEqual(done.counts, { rejected: 2, error: 2, registered: 1 });
    const numbers = await store().all<{ reference_number: string }>(
      'select reference_number from reference_numbers where institution_code = ?',
      [terminal.institutionCode],
    );
    assert.deepEqual(
      numbers.map((n) => n.reference_number),
      ['P-0001'],
    );
    const listed = (await staff.call('api/batches')).json().batches;
    assert.deepEqual(
      listed.map((b: Json) => b.kind),
      ['register'],
    );
  });

  it('exports the results as CSV: the 照会番号 columns, problems first, a formula-like cell quoted with ’', async () => {
    const staff = await clerk();
    const utf8 = await staff.call(`api/batches/${batchId}/csv`);
    assert.equal(utf8.status, 200);
    const lines = utf8.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(
      lines[0],
      '行,結果,任意の識別子,照会番号,保険者番号,記号,番号,枝番,生年月日,コード,メッセージ',
    );
    assert.equal(lines.length, 6);
    assert.match(lines[1]!, /^5,未送信（CSVの誤り）,/);
    assert.match(lines[3]!, /^3,処理エラー,受付-双子,P-0002,/);
    assert.equal(lines[5], `2,登録済み,'=1+1,P-0001,${scenario.newJob.insurer},22,3001,,1980-05-05,,`);
    const problems = await staff.call(`api/batches/${batchId}/csv?filter=problems&encoding=shift_jis`);
    assert.match(String(problems.headers['content-type']), /Shift_JIS/);
    const registered = await staff.call(`api/batches/${batchId}/csv?filter=registered`);
    assert.equal(registered.text.trim().split('\r\n').length, 2);
  });
});
