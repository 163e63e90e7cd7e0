/**
 * 一括照会 from the staff UI API against a real central with its batch worker (SQLite and
 * PostgreSQL): a Shift_JIS CSV mixing every OQSCD006 outcome, a 限度額 change (on another 資格確認日,
 * so two uploads) and two malformed rows → the check lists the malformed rows by row and column →
 * the file is refused until the user chooses to send only the valid rows → progress → the results
 * with the problems first, matched back to the file's rows → CSV export (UTF-8 with a BOM, Shift_JIS,
 * filtered). The batch survives a restart of the terminal; the day's list; roles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeCp932 } from '@onshi/core';
import * as scenario from '../../../central/src/eligibility/eligibility.scenario.ts';
import { forEachStore } from '../../../central/src/test/stores.ts';
import type { RunningTerminal } from '../station/station.start.ts';
import { card, reservationCsv } from '../test/batch.ts';
import {
  createStationWorld,
  type Json,
  loginAs,
  readerClient,
  type StationWorld,
  virtualCard,
} from '../test/station.ts';

const { newJob } = scenario;

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

forEachStore('terminal: 一括照会 API', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  let dir: string;
  const clerk = () => loginAs(terminal, 'clerk', 'clerk-password-1');
  const upload = {
    kind: 'confirm',
    fileName: 'yoyaku.csv',
    content: Buffer.from(encodeCp932(reservationCsv)).toString('base64'),
  };

  before(async () => {
    fixture = await createStationWorld(store());
    await scenario.writeScenario(store());
    terminal = await fixture.startTerminal({ batchPollMs: 0 });
    dir = terminal.dirs.root;
    await terminal.users.create({ login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
    await terminal.users.create({ login: 'doctor.1', role: 'viewer', password: 'viewer-password-1' });
  });
  after(() => fixture.dispose());

  describe('a CSV of reservations', () => {
    let batchId: string;

    it('checks every row before sending: the malformed rows by row and column (Shift_JIS read)', async () => {
      const answer = await (await clerk()).call('api/batches/check', { body: upload });
      assert.equal(answer.status, 200, answer.text);
      const check = answer.json();
      assert.equal(check.encoding, 'shift_jis');
      assert.equal(check.total, 8);
      assert.equal(check.valid, 6);
      assert.deepEqual(check.invalidRows, [8, 9]);
      assert.deepEqual(
        check.problems.map((p: Json) => [p.row, p.column, p.code]),
        [
          [8, '保険者番号', 'INSURER_NUMBER_INVALID'],
          [9, '予約日', 'DATE_INVALID'],
          [9, '限度額同意', 'MSG_FIELD_INVALID'],
        ],
      );
      assert.deepEqual(check.dates, [
        { date: '2024-06-01', rows: 5 },
        { date: '2024-08-01', rows: 1 },
      ]);
    });

    it('refuses the file while rows are malformed, unless only the valid rows are to be sent', async () => {
      const staff = await clerk();
      const refused = await staff.call('api/batches', { body: upload });
      assert.equal(refused.status, 400);
      assert.equal(refused.json().code, 'TERMINAL_BATCH_ROWS_INVALID');
      assert.deepEqual(refused.json().invalidRows, [8, 9]);
      assert.equal((await staff.call('api/batches')).json().batches.length, 0, 'nothing was sent');
      const viewer = await loginAs(terminal, 'doctor.1', 'viewer-password-1');
      assert.equal((await viewer.call('api/batches', { body: upload })).status, 403);

      const started = await staff.call('api/batches', { body: { ...upload, sendValidOnly: true } });
      assert.equal(started.status, 201, started.text);
      const { batch } = started.json();
      batchId = batch.id;
      assert.equal(batch.total, 6);
      assert.equal(batch.rejected, 2);
      assert.equal(batch.label, 'yoyaku.csv');
      assert.deepEqual(
        batch.receptions.map((r: Json) => r.date),
        ['2024-06-01', '2024-08-01'],
        'one upload per 資格確認日',
      );
      for (const r of batch.receptions) assert.match(r.receptionNumber, /^\d{20}$/);
    });

    it('reports progress, then the results with the problems first, matched back to the file’s rows', async () => {
      const staff = await clerk();
      const seen: number[] = [];
      const done = await until(async () => {
        const { batch } = (await staff.call(`api/batches/${batchId}`)).json();
        seen.push(batch.answered);
        return batch.state === 'done' ? batch : undefined;
      }, 'the batch to finish');
      assert.ok(seen.every((n) => n >= 0 && n <= 6));
      assert.equal(done.answered, 6);
      assert.equal(done.normal, 6);
      assert.deepEqual(
        done.results.map((r: Json) => [r.row, r.outcome, r.identifier ?? null]),
        [
          [8, 'rejected', null],
          [9, 'rejected', null],
          [3, 'invalid', '患者-無効'],
          [4, 'invalidNew', '患者-新資格'],
          [5, 'notFound', '患者,該当なし'],
          [6, 'multiple', '患者-複数'],
          [7, 'limitChanged', '患者-限度額'],
          [2, 'valid', '患者-有効'],
        ],
      );
      const rejected = done.results[1];
      assert.deepEqual(rejected.columns, ['予約日', '限度額同意']);
      assert.match(rejected.message, /^予約日: /);
      assert.equal(done.results.filter((r: Json) => r.problem).length, 7);
      assert.equal(done.results[6].date, '2024-08-01');
      assert.equal(done.counts.valid, 1);
      assert.equal(done.counts.rejected, 2);
    });

    it('exports the results as CSV: UTF-8 with a BOM, Shift_JIS, filtered', async () => {
      const staff = await clerk();
      const utf8 = await staff.call(`api/batches/${batchId}/csv`);
      assert.equal(utf8.status, 200);
      assert.match(String(utf8.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(utf8.headers['content-disposition']), /^attachment; filename="ikkatsu-/);
      assert.ok(utf8.text.startsWith('\uFEFF行,結果,任意の識別子'));
      const lines = utf8.text.trim().split('\r\n');
      assert.equal(lines.length, 9);
      assert.match(lines[1]!, /^8,未送信（CSVの誤り）,/);
      assert.match(lines[5]!, /^5,該当資格なし,"患者,該当なし",2024-06-01,/);
      const problems = await staff.call(`api/batches/${batchId}/csv?filter=problems&encoding=shift_jis`);
      assert.match(String(problems.headers['content-type']), /Shift_JIS/);
      const raw = await fetchBytes(
        terminal,
        staff.cookie,
        `api/batches/${batchId}/csv?filter=problems&encoding=shift_jis`,
      );
      const text = new TextDecoder('shift_jis').decode(raw);
      assert.equal(text.trim().split('\r\n').length, 8, 'the header and the 7 problems');
      assert.ok(!text.includes('患者-有効'));
      const bad = await staff.call(`api/batches/${batchId}/csv?filter=nonsense`);
      assert.equal(bad.json().code, 'MSG_FIELD_INVALID');
    });

    it('finds a running batch again after a restart of the terminal, and finishes it', async () => {
      const staff = await clerk();
      const small = [
        '資格確認日,保険者番号,記号,番号,枝番,生年月日',
        ['2024-06-01', ...card(newJob), newJob.birthdate].join(','),
      ].join('\n');
      const started = await staff.call('api/batches', {
        body: { kind: 'confirm', fileName: 'small.csv', content: Buffer.from(small).toString('base64') },
      });
      assert.equal(started.status, 201, started.text);
      const id = started.json().batch.id;
      await terminal.close();
      terminal = await fixture.startTerminal({ dir, batchPollMs: 0 });
      const again = await clerk();
      const listed = (await again.call('api/batches')).json().batches;
      assert.deepEqual(
        listed.map((b: Json) => b.id),
        [id, batchId],
        'newest first, both kept in terminal.db',
      );
      const done = await until(async () => {
        const { batch } = (await again.call(`api/batches/${id}`)).json();
        return batch.state === 'done' ? batch : undefined;
      }, 'the small batch');
      assert.deepEqual(
        done.results.map((r: Json) => [r.row, r.outcome]),
        [[2, 'valid']],
      );
    });
  });

  it('starts a batch from the day’s reader sessions, checked on the next day by default', async () => {
    const reader = readerClient(terminal);
    const confirmed = await reader.call('confirmations', await reader.proof(virtualCard(fixture.registered)));
    assert.equal(confirmed.status, 200, confirmed.text);
    const staff = await clerk();
    const check = (
      await staff.call('api/batches/check', { body: { kind: 'confirm', source: 'day' } })
    ).json();
    assert.equal(check.total, 1);
    const started = await staff.call('api/batches', { body: { kind: 'confirm', source: 'day' } });
    assert.equal(started.status, 201, started.text);
    assert.match(started.json().batch.label, /^受付一覧 \d{4}-\d{2}-\d{2}$/);
    const done = await until(async () => {
      const { batch } = (await staff.call(`api/batches/${started.json().batch.id}`)).json();
      return batch.state === 'done' ? batch : undefined;
    }, 'the day’s batch');
    assert.deepEqual(
      done.results.map((r: Json) => [r.row, r.outcome, r.name]),
      [[1, 'valid', '厚労　花子1']],
    );
    const empty = await staff.call('api/batches', {
      body: { kind: 'confirm', source: 'day', day: '2020-01-01' },
    });
    assert.equal(empty.json().code, 'TERMINAL_BATCH_EMPTY');
  });
});

async function fetchBytes(terminal: RunningTerminal, cookie: string, path: string): Promise<Uint8Array> {
  const response = await fetch(new URL(path, terminal.url), { headers: { cookie } });
  return new Uint8Array(await response.arrayBuffer());
}
