/**
 * The operator console over HTTP on SQLite and PostgreSQL: disaster mode opened and closed from the
 * console, with central's disaster search (the same store) answering accordingly — found while
 * open for the institution's registered municipality, refused outside it, after the period and once
 * closed; and the statistics: batch volumes from the audit records the batch worker writes
 * (`check-card-data`, reason `一括照会 <受付番号>`), by day (JST) and institution kind, separated
 * from single checks in the checks-by-method series.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendAudit, createAuditLog, createDisasterService, type DisasterService } from '@onshi/central';
import { testClock } from '@onshi/pki/test-support';
import { addPerson, institutionCode } from '../../central/src/test/fixtures.ts';
import { forEachStore } from '../../central/src/test/stores.ts';
import {
  type Client,
  operatorClient,
  type PortalFixture,
  registeredInstitution,
  startTestPortal,
} from './test/portal-fixture.ts';

const clinic = '1310123458'; // registered in the portal: 千代田区 (131016)
const osaka = institutionCode('27', '1', '000017');
const pharmacy = institutionCode('13', '4', '000013'); // not in the portal: kind from the 点数表番号
const HOUR = 3600_000;
const query = { nameKana: 'シケン　タロウ', birthdate: '19600707', reason: '避難所から搬送' };

forEachStore('operator console over HTTP', (store) => {
  const clock = testClock('2026-04-10T01:00:00Z'); // 10:00 JST
  let f: PortalFixture;
  let op: Client;
  let central: DisasterService;
  before(async () => {
    f = await startTestPortal(store(), clock, { sessionTtlMs: 30 * 86_400_000 });
    await registeredInstitution(f.portal.url, { email: 'saigai@example.jp', institutionCode: clinic });
    op = await operatorClient(f.portal.operatorUrl!);
    central = createDisasterService({
      store: store(),
      clock,
      audit: createAuditLog({ store: store(), clock }),
    });
    await central.locate(osaka, '271004');
    await addPerson(store(), { birthdate: '1960-07-07' });
  });
  after(async () => {
    await f?.dispose();
  });

  describe('disaster mode from the console; central’s search answers accordingly', () => {
    it('before: central refuses (DISASTER_NOT_DECLARED)', async () => {
      await assert.rejects(central.search(clinic, query), { code: 'DISASTER_NOT_DECLARED' });
    });

    let id = 0;
    it('opened for 千代田区 for a day: the clinic located there finds the person, Osaka does not', async () => {
      const opened = await op.call('POST', '/api/disaster', {
        name: '首都直下地震（訓練）',
        municipalities: '131016、13102',
        endsAt: new Date(clock.now().getTime() + 24 * HOUR).toISOString(),
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.json));
      id = opened.json.declarationId;
      assert.deepEqual(opened.json.municipalities, ['13101', '13102']);
      const list = (await op.call('GET', '/api/disaster')).json.declarations;
      assert.equal(list.find((d: { declarationId: number }) => d.declarationId === id).open, true);
      const found = await central.search(clinic, query);
      assert.equal(found.declarationId, id);
      assert.equal(found.persons.length, 1);
      await assert.rejects(central.search(osaka, query), { code: 'DISASTER_OUTSIDE_AREA' });
      const audit = await store().get<{ reason: string }>(
        "select reason from audit_records where action = 'disaster-open' order by seq desc limit 1",
      );
      assert.equal(audit?.reason, `${id} 首都直下地震（訓練）`);
    });

    it('its period over, it closes by itself (DISASTER_PERIOD_OVER)', async () => {
      clock.advance(24 * HOUR);
      await assert.rejects(central.search(clinic, query), { code: 'DISASTER_PERIOD_OVER' });
      const list = (await op.call('GET', '/api/disaster')).json.declarations;
      assert.equal(list.find((d: { declarationId: number }) => d.declarationId === id).open, false);
    });

    it('opened again and closed early from the console: refused at once', async () => {
      const opened = await op.call('POST', '/api/disaster', {
        name: '余震',
        municipalities: ['13101'],
        startsAt: clock.now().toISOString(),
        endsAt: new Date(clock.now().getTime() + 7 * 24 * HOUR).toISOString(),
      });
      assert.equal(opened.status, 201);
      assert.equal((await central.search(clinic, query)).persons.length, 1);
      const closed = await op.call('POST', `/api/disaster/${opened.json.declarationId}/close`, {});
      assert.equal(closed.status, 200);
      assert.ok(closed.json.closedAt);
      await assert.rejects(central.search(clinic, query), { code: 'DISASTER_PERIOD_OVER' });
      // Closing again changes nothing; an unknown declaration is refused.
      const again = await op.call('POST', `/api/disaster/${opened.json.declarationId}/close`, {});
      assert.equal(again.json.closedAt, closed.json.closedAt);
      assert.equal(
        (await op.call('POST', '/api/disaster/9999/close', {})).json.code,
        'DISASTER_DECLARATION_NOT_FOUND',
      );
    });

    it('bad input refused with its code, nothing opened', async () => {
      const before = (await op.call('GET', '/api/disaster')).json.declarations.length;
      assert.equal(
        (await op.call('POST', '/api/disaster', { name: 'x', municipalities: ['13101'], endsAt: 'tomorrow' }))
          .json.code,
        'MSG_FIELD_INVALID',
      );
      assert.equal((await op.call('GET', '/api/disaster')).json.declarations.length, before);
    });
  });

  describe('statistics: batch volumes from the audit records', () => {
    // Days in JST: 2026-04-11 and 2026-04-12 (the clock set to 2026-04-12 10:00 JST).
    const batch = (at: string, institution: string, reception: string) => ({
      at,
      institutionCode: institution,
      action: 'check-card-data' as const,
      reason: `一括照会 ${reception}`,
    });
    before(async () => {
      clock.set('2026-04-12T01:00:00Z');
      await appendAudit(store(), [
        batch('2026-04-01T03:00:00Z', clinic, 'R-OLD'), // outside a 7-day window
        ...Array.from({ length: 3 }, () => batch('2026-04-11T02:00:00Z', clinic, 'R-1')),
        // 2026-04-11 15:30 UTC is 2026-04-12 00:30 JST.
        ...Array.from({ length: 2 }, () => batch('2026-04-11T15:30:00Z', clinic, 'R-2')),
        ...Array.from({ length: 4 }, () => batch('2026-04-12T00:10:00Z', pharmacy, 'R-3')),
        { at: '2026-04-12T00:20:00Z', institutionCode: clinic, action: 'check-card-data' },
        { at: '2026-04-12T00:30:00Z', institutionCode: pharmacy, action: 'check-card' },
        // Another action with a reason that happens to start the same way is not a batch row.
        {
          at: '2026-04-12T00:40:00Z',
          institutionCode: clinic,
          action: 'disaster-search',
          reason: '一括照会 x',
        },
      ]);
    });

    it('GET /api/stats: rows per day by institution kind; single checks apart from batch rows', async () => {
      const stats = (await op.call('GET', '/api/stats?days=7')).json;
      assert.equal(stats.batch.days.at(-1), '2026-04-12');
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(stats.batch.series as Record<string, number[]>).map(([k, v]) => [k, v.slice(-2)]),
        ),
        { clinic: [3, 2], 'table-4': [0, 4] },
      );
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(stats.byMethod.series as Record<string, number[]>).map(([k, v]) => [k, v.slice(-2)]),
        ),
        { batch: [3, 6], 'check-card-data': [0, 1], 'check-card': [0, 1] },
      );
      // Checks by kind count every check, batch rows included.
      assert.deepEqual(stats.byKind.series.clinic.slice(-2), [3, 3]);
      const month = (await op.call('GET', '/api/stats?days=30')).json;
      assert.equal(
        month.batch.series.clinic.reduce((a: number, b: number) => a + b, 0),
        6,
      );
    });

    it('the batch chart draws them', async () => {
      const svg = String((await op.call('GET', '/api/charts/batch.svg?days=7')).json);
      assert.match(svg, /^<svg/);
      assert.match(svg, /04-11 診療所: 3/);
      assert.match(svg, /04-12 調剤（未登録）: 4/);
      const methods = String((await op.call('GET', '/api/charts/checks-by-method.svg?days=7')).json);
      assert.match(methods, /04-12 一括照会 \/ batch: 6/);
    });
  });
});
