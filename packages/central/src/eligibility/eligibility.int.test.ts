import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { OnshiError, type QualificationConfirmRequest } from '@onshi/core';
import { createAuditLog } from '../audit/audit.writer.ts';
import { fixedClock } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import * as scenario from './eligibility.scenario.ts';
import { createEligibilityService } from './eligibility.service.ts';

const { kyokai, kumiai, clinicA, wrongCheckDigit, request, changedJob, newJob, retired, twins } = scenario;
type Card = scenario.Card;

forEachStore('eligibility: validity by card data', (store) => {
  const service = () =>
    createEligibilityService({
      store: store(),
      clock: fixedClock,
      audit: createAuditLog({ store: store(), clock: fixedClock }),
    });

  before(() => scenario.writeScenario(store()));

  it('answers 1 有効 with the formatted qualification and the header', async () => {
    const result = await service().confirm(request(newJob), { characterCode: '0' });
    assert.deepEqual(result.MessageHeader, {
      ProcessExecutionTime: '20240601100203',
      QualificationConfirmationDate: '20240601',
      MedicalInstitutionCode: clinicA,
      ArbitraryFileIdentifier: 'file-1',
      ReferenceClassification: '2',
      SegmentOfResult: '1',
      CharacterCodeIdentifier: '0',
    });
    const body = result.MessageBody;
    assert.equal(body.ProcessingResultStatus, '1');
    assert.equal(body.QualificationValidity, '1');
    assert.deepEqual(
      body.QualificationConfirmSearchInfo,
      request(newJob).MessageBody.QualificationConfirmSearchInfo,
    );
    const [row, ...more] = body.ResultList?.ResultOfQualificationConfirmation ?? [];
    assert.equal(more.length, 0);
    assert.equal(row?.InsurerNumber, kumiai);
    assert.equal(row?.InsuredCardSymbol, '22');
    assert.equal(row?.InsuredIdentificationNumber, '3001');
    assert.equal(row?.InsuredBranchNumber, undefined);
    assert.equal(row?.InsurerName, '東京健康保険組合');
    assert.equal(row?.Birthdate, '19800505');
    assert.equal(row?.QualificationDate, '20240401');
    assert.equal(row?.PostNumber, '100-8916');
    assert.equal(row?.ArbitraryIdentifier, 'patient-42');
    assert.equal(row?.InsuredPartialContributionRatio, undefined, 'only 後期高齢者 carry a ratio');
    assert.equal(row?.PreschoolClassification, undefined);
    assert.equal(row?.LimitApplicationCertificateRelatedConsFlg, undefined);
  });

  it('answers 3 無効（新しい資格あり） for a lost card whose holder has a newer valid qualification', async () => {
    const result = await service().confirm(request(changedJob), { characterCode: '1' });
    assert.equal(result.MessageBody.QualificationValidity, '3');
    assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
    const row = result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(row?.DisqualificationDate, '20240401');
    assert.equal(row?.ReasonOfLoss, '03');
    assert.equal(row?.InsurerNumber, kyokai);
  });

  it('answers 2 無効 for a lost card with no newer qualification', async () => {
    const result = await service().confirm(request(retired), { characterCode: '0' });
    assert.equal(result.MessageBody.QualificationValidity, '2');
    assert.equal(result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReasonOfLoss, '99');
  });

  it('lets the confirmation date decide: before acquisition, the day before loss, the loss date', async () => {
    const on = async (card: Card, date: string) =>
      (await service().confirm(request(card, { date }), { characterCode: '0' })).MessageBody
        .QualificationValidity;
    assert.equal(await on(retired, '20100331'), '2', 'before acquisition');
    assert.equal(await on(retired, '20100401'), '1', 'on the acquisition date');
    assert.equal(await on(newJob, '20240401'), '1', 'on the acquisition date');
    assert.equal(await on(changedJob, '20240331'), '1', 'the day before loss');
    assert.equal(await on(changedJob, '20240401'), '3', 'the loss date is the first day without coverage');
    assert.equal(await on(retired, '20240430'), '1');
    assert.equal(await on(retired, '20240501'), '2');
  });

  it('answers 5 複数該当 when persons share card data and no branch is given, 1 with the branch', async () => {
    const result = await service().confirm(request(twins), { characterCode: '0' });
    assert.equal(result.MessageBody.QualificationValidity, '5');
    assert.equal(result.MessageBody.ProcessingResultStatus, '1');
    assert.equal(result.MessageBody.ProcessingResultCode, 'ELIGIBILITY_MULTIPLE');
    assert.equal(result.MessageBody.ResultList, undefined);
    const one = await service().confirm(request({ ...twins, branch: '02' }), { characterCode: '0' });
    assert.equal(one.MessageBody.QualificationValidity, '1');
    assert.equal(one.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.Name, '双子　02');
  });

  it('answers 4 該当資格なし as a normal message (wrong birth date, unknown number)', async () => {
    for (const card of [
      { ...newJob, birthdate: '19800506' },
      { ...newJob, number: '9999' },
    ]) {
      const result = await service().confirm(request(card), { characterCode: '0' });
      assert.equal(result.MessageHeader.SegmentOfResult, '1');
      assert.equal(result.MessageBody.ProcessingResultStatus, '1');
      assert.equal(result.MessageBody.QualificationValidity, '4');
      assert.equal(result.MessageBody.ProcessingResultCode, 'ELIGIBILITY_NOT_FOUND');
      assert.ok(result.MessageBody.ProcessingResultMessage);
      assert.equal(result.MessageBody.ResultList, undefined);
    }
  });

  it('refuses invalid fields with coded errors', async () => {
    const cases: [QualificationConfirmRequest, string][] = [
      [request(newJob, { date: '20240231' }), 'DATE_INVALID'],
      [request({ ...newJob, birthdate: '1980-05-05' }), 'DATE_INVALID'],
      [request({ ...newJob, insurer: wrongCheckDigit(kumiai) }), 'INSURER_NUMBER_INVALID'],
      [request(newJob, { institution: wrongCheckDigit(clinicA) }), 'INSTITUTION_CODE_INVALID'],
      [request({ ...newJob, branch: '1' }), 'MSG_FIELD_INVALID'],
      [request(newJob, { consent: '2' as '1' }), 'MSG_FIELD_INVALID'],
      [request({ ...newJob, number: '' }), 'MSG_FIELD_REQUIRED'],
      // Shapes a schema-less caller might pass: no header, no search info.
      [
        { MessageBody: request(newJob).MessageBody } as unknown as QualificationConfirmRequest,
        'MSG_FIELD_REQUIRED',
      ],
      [
        { MessageHeader: request(newJob).MessageHeader, MessageBody: {} } as QualificationConfirmRequest,
        'MSG_FIELD_REQUIRED',
      ],
    ];
    for (const [bad, code] of cases) {
      await assert.rejects(service().confirm(bad, { characterCode: '0' }), (error: unknown) => {
        assert.ok(error instanceof OnshiError);
        assert.equal(error.code, code);
        return true;
      });
    }
  });
});
