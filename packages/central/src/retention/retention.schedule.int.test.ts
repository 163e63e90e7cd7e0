/**
 * The retention purge on a schedule (the central service's ONSHI_RETENTION_INTERVAL_MINUTES) and
 * its lock: on PostgreSQL a process that finds another running the purge skips its turn.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Logger } from '../log.ts';
import { findQualification } from '../qualifications/qualifications.repo.ts';
import type { Store } from '../store/store.ts';
import { addInsurer, addPerson, addQualification, fixedClock, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { runRetention, startRetentionSchedule } from './retention.schedule.ts';
import type { PurgeReport } from './retention.service.ts';

const quiet: Logger = { info: () => {}, error: () => {} };

/** A qualification lost in 2010: expired on fixedClock's day (2024-06-01). */
async function addExpired(s: Store, card: string): Promise<number> {
  const personId = await addPerson(s, { birthdate: '1940-01-01' });
  return addQualification(s, {
    personId,
    insurerNumber: insurerNumber('01', '01', '001'),
    cardNumber: card,
    qualificationDate: '2000-01-01',
    disqualificationDate: '2010-01-01',
    reasonOfLoss: '01',
  });
}

forEachStore('retention schedule', (store, dialect) => {
  it('purges on every interval until stopped', async () => {
    const s = store();
    await addInsurer(s, insurerNumber('01', '01', '001'), 'kyokai');
    const first = await addExpired(s, '1');
    const reports: (PurgeReport | undefined)[] = [];
    let ran: () => void = () => {};
    const twoRuns = new Promise<void>((resolve) => {
      ran = resolve;
    });
    const schedule = startRetentionSchedule({
      store: s,
      clock: fixedClock,
      logger: quiet,
      intervalMs: 20,
      onRun: (report) => {
        reports.push(report);
        if (reports.length === 2) ran();
      },
    });
    await twoRuns;
    await schedule.stop();
    assert.equal(reports[0]?.cutoff, '2014-06-01');
    assert.equal(reports[0]?.qualificationsDeleted, 1);
    assert.equal(reports[1]?.qualificationsDeleted, 0);
    assert.equal(await findQualification(s, first), undefined);
    // Stopped: nothing runs any more.
    const second = await addExpired(s, '2');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(reports.length, 2);
    assert.ok(await findQualification(s, second));
  });

  if (dialect === 'postgres') {
    it('skips the run while another process holds the retention lock (advisory lock)', async () => {
      const s = store();
      const second = await addExpired(s, '3');
      // Another session holds the lock (a client of its own, as another process would).
      const other = await s.raw.pg!.connect();
      try {
        await other.query('select pg_advisory_lock($1)', [0x6f6e7274]);
        assert.equal(await runRetention(s, fixedClock), undefined);
        assert.ok(await findQualification(s, second), 'nothing purged while the lock is held elsewhere');
        await other.query('select pg_advisory_unlock($1)', [0x6f6e7274]);
        const report = await runRetention(s, fixedClock);
        assert.ok(report !== undefined && report.qualificationsDeleted >= 1);
        assert.equal(await findQualification(s, second), undefined);
      } finally {
        other.release();
      }
    });
  }
});
