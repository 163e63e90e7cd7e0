import assert from 'node:assert/strict';
import { it } from 'node:test';
import { appendAudit } from '../audit/audit.repo.ts';
import { verifyAuditChain } from '../audit/audit.verify.ts';
import {
  listSpecificDiseaseCertificates,
  upsertElderlyCertificate,
  upsertLimitCertificate,
  upsertSpecificDiseaseCertificate,
} from '../certificates/certificates.repo.ts';
import { consentState, recordReaderConsents } from '../consent/consent.service.ts';
import { findPerson } from '../persons/persons.repo.ts';
import {
  findQualification,
  insertEvent,
  listByPerson,
  listEvents,
} from '../qualifications/qualifications.repo.ts';
import { findReferenceNumber, upsertReferenceNumber } from '../reference-numbers/reference-numbers.repo.ts';
import { addInsurer, addPerson, addQualification, institutionCode, insurerNumber } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { purgeExpired, retentionCutoff } from './retention.service.ts';

const insurer = insurerNumber('01', '01', '001');
const clinic = institutionCode('01', '1', '000001');

forEachStore('retention (10 years after loss)', (store) => {
  it('computes the cut-off ten years back', () => {
    assert.equal(retentionCutoff('2024-06-01'), '2014-06-01');
    assert.equal(retentionCutoff('2024-02-29'), '2014-02-28');
  });

  it('purges qualifications lost more than 10 years ago, their data, and persons left with nothing', async () => {
    const s = store();
    await addInsurer(s, insurer, 'kyokai');
    const card = (cardNumber: string) => ({ insurerNumber: insurer, cardNumber });
    // Lost one day more than 10 years before today: everything goes.
    const gone = await addPerson(s, { birthdate: '1940-01-01' });
    const goneQ = await addQualification(s, {
      personId: gone,
      ...card('1'),
      qualificationDate: '2000-01-01',
      disqualificationDate: '2014-05-31',
      reasonOfLoss: '01',
    });
    await insertEvent(s, {
      qualificationId: goneQ,
      kind: 'lose',
      effectiveDate: '2014-05-31',
      recordedAt: '2014-06-01T00:00:00Z',
      detail: {},
    });
    await upsertElderlyCertificate(s, {
      qualificationId: goneQ,
      issuanceDate: '2010-01-01',
      validStartDate: '2010-02-01',
      contributionRatio: 20,
    });
    await upsertLimitCertificate(s, {
      qualificationId: goneQ,
      classification: '01',
      category: 'B03',
      issuanceDate: '2010-01-01',
      validStartDate: '2010-02-01',
    });
    await upsertSpecificDiseaseCertificate(s, {
      qualificationId: goneQ,
      diseaseCategory: '1',
      issuanceDate: '2010-01-01',
      validStartDate: '2010-02-01',
      selfPay: 10000,
    });
    await upsertReferenceNumber(s, {
      institutionCode: clinic,
      personId: gone,
      referenceNumber: 'R1',
      updatedAt: '2013-01-01T00:00:00Z',
    });
    // Lost exactly 10 years before today: kept.
    const kept = await addPerson(s, { birthdate: '1950-01-01' });
    const keptQ = await addQualification(s, {
      personId: kept,
      ...card('2'),
      qualificationDate: '2000-01-01',
      disqualificationDate: '2014-06-01',
      reasonOfLoss: '99',
    });
    // An old lost qualification and a current one: only the old one goes; the person stays.
    const moved = await addPerson(s, { birthdate: '1960-01-01' });
    const movedOld = await addQualification(s, {
      personId: moved,
      ...card('3'),
      qualificationDate: '2000-01-01',
      disqualificationDate: '2010-01-01',
      reasonOfLoss: '03',
    });
    const movedNew = await addQualification(s, {
      personId: moved,
      ...card('4'),
      qualificationDate: '2010-01-01',
    });
    await upsertSpecificDiseaseCertificate(s, {
      qualificationId: movedNew,
      diseaseCategory: '1',
      issuanceDate: '2010-01-01',
      validStartDate: '2010-02-01',
      selfPay: 10000,
    });
    await upsertReferenceNumber(s, {
      institutionCode: clinic,
      personId: moved,
      referenceNumber: 'R3',
      updatedAt: '2013-01-01T00:00:00Z',
    });

    const report = await purgeExpired(s, '2024-06-01', 1);
    assert.deepEqual(report, {
      cutoff: '2014-06-01',
      qualificationsDeleted: 2,
      personsDeleted: 1,
      medicationCutoff: '2021-06-01',
      medicationsDeleted: 0,
      checkupCutoff: '2019-06-01',
      checkupResultsDeleted: 0,
      batchJobsDeleted: 0,
    });

    assert.equal(await findQualification(s, goneQ), undefined);
    assert.equal(await findPerson(s, gone), undefined);
    assert.equal(await findReferenceNumber(s, clinic, gone), undefined);
    assert.deepEqual(await listEvents(s, goneQ), []);
    assert.deepEqual(await listSpecificDiseaseCertificates(s, goneQ, '2012-01-01'), []);
    for (const table of ['elderly_certificates', 'limit_certificates', 'specific_disease_certificates']) {
      const row = await s.get<{ n: number }>(
        `select count(*) as n from ${table} where qualification_id = ?`,
        [goneQ],
      );
      assert.equal(row?.n, 0, table);
    }

    assert.ok(await findQualification(s, keptQ));
    assert.ok(await findPerson(s, kept));
    assert.equal(await findQualification(s, movedOld), undefined);
    assert.deepEqual(
      (await listByPerson(s, moved)).map((q) => q.qualificationId),
      [movedNew],
    );
    assert.equal(await findReferenceNumber(s, clinic, moved), 'R3');
    assert.equal((await listSpecificDiseaseCertificates(s, movedNew, '2024-06-01')).length, 1);

    const again = await purgeExpired(s, '2024-06-01');
    assert.deepEqual([again.qualificationsDeleted, again.personsDeleted], [0, 0]);
    const nextDay = await purgeExpired(s, '2024-06-02');
    assert.equal(nextDay.qualificationsDeleted, 1, 'the loss of 2014-06-01 expires the next day');
  });

  it('purges a person with consents (the consents go with them) and keeps the audit records about them', async () => {
    const s = store();
    const other = insurerNumber('06', '13', '002');
    await addInsurer(s, other, 'kumiai');
    const personId = await addPerson(s, { birthdate: '1945-03-03' });
    await addQualification(s, {
      personId,
      insurerNumber: other,
      cardNumber: '77',
      qualificationDate: '2001-04-01',
      disqualificationDate: '2013-03-31',
      reasonOfLoss: '01',
    });
    const at = new Date('2013-03-01T01:00:00Z');
    await recordReaderConsents(s, {
      institutionCode: clinic,
      personId,
      kind: 'home-visit',
      answers: { YZK: '1', TKK: '1', SRJ: '0' },
      at,
      source: 'reader:test',
    });
    await appendAudit(s, [
      {
        at: at.toISOString(),
        institutionCode: clinic,
        personId,
        action: 'view-medication',
        reason: 'consent',
      },
    ]);
    assert.equal((await consentState(s, clinic, personId, 'YZK', at)).flag, '1');

    const report = await purgeExpired(s, '2024-06-01');
    assert.equal(report.personsDeleted, 1);
    assert.equal(await findPerson(s, personId), undefined);
    const consents = await s.get<{ n: number }>('select count(*) as n from consents where person_id = ?', [
      personId,
    ]);
    assert.equal(Number(consents?.n), 0);
    const audited = await s.get<{ n: number }>(
      "select count(*) as n from audit_records where person_id = ? and action = 'view-medication'",
      [personId],
    );
    assert.equal(Number(audited?.n), 1, 'the audit record outlives the person');
    assert.equal((await verifyAuditChain(s)).ok, true);
  });
});
