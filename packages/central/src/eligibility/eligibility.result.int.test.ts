import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { createAuditLog } from '../audit/audit.writer.ts';
import { fixedClock } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import * as scenario from './eligibility.scenario.ts';
import { createEligibilityService } from './eligibility.service.ts';

const {
  kokuho,
  clinicA,
  clinicB,
  request,
  changedJob,
  newJob,
  child,
  lateElderly,
  lateElderlyRich,
  elderly,
  withCertificates,
} = scenario;

forEachStore('eligibility: result contents', (store) => {
  const service = () =>
    createEligibilityService({
      store: store(),
      clock: fixedClock,
      audit: createAuditLog({ store: store(), clock: fixedClock }),
    });

  before(() => scenario.writeScenario(store()));

  it('marks 未就学 and gives 後期高齢者 their copay ratio', async () => {
    const kid = await service().confirm(request(child), { characterCode: '0' });
    assert.equal(
      kid.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.PreschoolClassification,
      '1',
    );
    const grown = await service().confirm(request(child, { date: '20270401' }), { characterCode: '0' });
    assert.equal(
      grown.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.PreschoolClassification,
      undefined,
    );
    const late = await service().confirm(request(lateElderly), { characterCode: '0' });
    const lateRow = late.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(lateRow?.InsuredPartialContributionRatio, '010');
    assert.equal(lateRow?.InsuredIdentificationNumber, '00000001');
    assert.equal(lateRow?.InsuredCardSymbol, undefined);
    const rich = await service().confirm(request(lateElderlyRich), { characterCode: '0' });
    assert.equal(
      rich.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.InsuredPartialContributionRatio,
      '030',
    );
  });

  it('includes the 高齢受給者証 of a 70–74 year old valid on the date', async () => {
    const result = await service().confirm(request(elderly), { characterCode: '0' });
    assert.deepEqual(
      result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ElderlyRecipientCertificateInfo,
      {
        ElderlyRecipientCertificateDate: '20220320',
        ElderlyRecipientValidStartDate: '20220401',
        ElderlyRecipientValidEndDate: '20270314',
        ElderlyRecipientContributionRatio: '020',
      },
    );
    const before70 = await service().confirm(request(elderly, { date: '20220301' }), { characterCode: '0' });
    assert.equal(
      before70.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ElderlyRecipientCertificateInfo,
      undefined,
    );
  });

  it('finds a 6-digit 国保 number given as "  123456" and as "123456", and answers it space-padded', async () => {
    for (const given of [`  ${kokuho}`, kokuho]) {
      const result = await service().confirm(request({ ...elderly, insurer: given }), { characterCode: '0' });
      assert.equal(result.MessageBody.QualificationValidity, '1', given);
      assert.equal(
        result.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.InsurerNumber,
        `  ${kokuho}`,
      );
      assert.equal(result.MessageBody.QualificationConfirmSearchInfo?.InsurerNumber, given, 'echoed as sent');
    }
  });

  it('gives 限度額 and 特定疾病 information only with consent flag 1, valid on the date', async () => {
    const without = await service().confirm(request(withCertificates, { consent: '0' }), {
      characterCode: '0',
    });
    const plain = without.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(plain?.LimitApplicationCertificateRelatedInfo, undefined);
    assert.equal(plain?.SpecificDiseasesCertificateList, undefined);
    assert.equal(plain?.LimitApplicationCertificateRelatedConsFlg, undefined);

    const consented = await service().confirm(request(withCertificates, { consent: '1' }), {
      characterCode: '0',
    });
    const row = consented.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.equal(row?.LimitApplicationCertificateRelatedConsFlg, '1');
    assert.equal(row?.LimitApplicationCertificateRelatedConsTime, '20240601100203');
    assert.deepEqual(row?.LimitApplicationCertificateRelatedInfo, {
      LimitApplicationCertificateClassification: '01',
      LimitApplicationCertificateClassificationFlag: 'A03',
      LimitApplicationCertificateDate: '20230720',
      LimitApplicationCertificateValidStartDate: '20230801',
      LimitApplicationCertificateValidEndDate: '20240731',
    });
    assert.deepEqual(row?.SpecificDiseasesCertificateList, {
      SpecificDiseasesCertificateInfo: [
        {
          SpecificDiseasesDiseaseCategory: '1',
          SpecificDiseasesCertificateDate: '20210110',
          SpecificDiseasesValidStartDate: '20210101',
          SpecificDiseasesSelfPay: '10000',
        },
      ],
    });
    const earlier = await service().confirm(request(withCertificates, { consent: '1', date: '20230101' }), {
      characterCode: '0',
    });
    const old =
      earlier.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]
        ?.LimitApplicationCertificateRelatedInfo;
    assert.equal(
      old?.LimitApplicationCertificateClassificationFlag,
      'A02',
      'the certificate valid on that date',
    );
    const later = await service().confirm(request(withCertificates, { consent: '1', date: '20240801' }), {
      characterCode: '0',
    });
    assert.equal(
      later.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]
        ?.LimitApplicationCertificateRelatedInfo,
      undefined,
    );
  });

  it('returns a registered 照会番号 to that institution only', async () => {
    const registered = await service().registerReferenceNumber(
      {
        MessageHeader: { MedicalInstitutionCode: clinicA, ArbitraryFileIdentifier: 'reg-1' },
        MessageBody: {
          ReferenceNumberRegistrationInfo: {
            ReferenceNumber: 'KARTE-000123',
            InsurerNumber: newJob.insurer,
            InsuredCardSymbol: newJob.symbol,
            InsuredIdentificationNumber: newJob.number,
            ArbitraryIdentifier: 'x',
          },
        },
      },
      { characterCode: '0' },
    );
    assert.equal(registered.MessageHeader.SegmentOfResult, '1');
    assert.equal(registered.MessageHeader.ArbitraryFileIdentifier, 'reg-1');
    assert.deepEqual(registered.MessageBody, {
      ProcessingResultStatus: '1',
      ReferenceNumber: 'KARTE-000123',
      ArbitraryIdentifier: 'x',
    });
    const atA = await service().confirm(request(newJob), { characterCode: '0' });
    assert.equal(
      atA.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      'KARTE-000123',
    );
    const atB = await service().confirm(request(newJob, { institution: clinicB }), { characterCode: '0' });
    assert.equal(
      atB.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      undefined,
    );
    // The number belongs to the person: the old (lost) card of the same person shows it as well.
    const oldCard = await service().confirm(request(changedJob), { characterCode: '0' });
    assert.equal(
      oldCard.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]?.ReferenceNumber,
      'KARTE-000123',
    );
  });
});
