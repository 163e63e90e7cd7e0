import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { OnshiError, type ReferenceNumberRegistrationRequest } from '@onshi/core';
import {
  addInsurer,
  addPerson,
  addQualification,
  fixedClock,
  institutionCode,
  insurerNumber,
} from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { findReferenceNumber } from './reference-numbers.repo.ts';
import { createReferenceNumberService } from './reference-numbers.service.ts';

const kyokai = insurerNumber('01', '27', '001');
const clinic = institutionCode('27', '1', '000011');

function registration(
  info: Partial<ReferenceNumberRegistrationRequest['MessageBody']['ReferenceNumberRegistrationInfo']>,
): ReferenceNumberRegistrationRequest {
  return {
    MessageHeader: { MedicalInstitutionCode: clinic },
    MessageBody: {
      ReferenceNumberRegistrationInfo: {
        ReferenceNumber: 'P-1',
        InsurerNumber: kyokai,
        InsuredCardSymbol: 'A',
        InsuredIdentificationNumber: '77',
        ...info,
      },
    },
  };
}

forEachStore('reference numbers (照会番号登録)', (store) => {
  const service = () => createReferenceNumberService({ store: store(), clock: fixedClock });
  const persons: number[] = [];

  before(async () => {
    await addInsurer(store(), kyokai, 'kyokai');
    // A household: the insured (01) and a dependant (02) born on another day.
    for (const [branch, birthdate] of [
      ['01', '1975-01-01'],
      ['02', '2005-02-02'],
    ] as const) {
      const personId = await addPerson(store(), { birthdate });
      persons.push(personId);
      await addQualification(store(), {
        personId,
        insurerNumber: kyokai,
        cardSymbol: 'A',
        cardNumber: '77',
        branchNumber: branch,
        qualificationDate: '2000-01-01',
      });
    }
  });

  it('registers by card data with the branch, and replaces the number on a second registration', async () => {
    const first = await service().registerReferenceNumber(registration({ InsuredBranchNumber: '01' }), {
      characterCode: '0',
    });
    assert.deepEqual(first.MessageBody, { ProcessingResultStatus: '1', ReferenceNumber: 'P-1' });
    assert.equal(first.MessageHeader.ProcessExecutionTime, '20240601100203');
    await service().registerReferenceNumber(
      registration({ InsuredBranchNumber: '01', ReferenceNumber: 'P-2' }),
      { characterCode: '1' },
    );
    assert.equal(await findReferenceNumber(store(), clinic, persons[0]!), 'P-2');
    assert.equal(await findReferenceNumber(store(), clinic, persons[1]!), undefined);
  });

  it('narrows by birth date when the branch is missing', async () => {
    const result = await service().registerReferenceNumber(
      registration({ Birthdate: '20050202', ReferenceNumber: 'KID' }),
      { characterCode: '0' },
    );
    assert.equal(result.MessageBody.ProcessingResultStatus, '1');
    assert.equal(await findReferenceNumber(store(), clinic, persons[1]!), 'KID');
  });

  it('answers ambiguous and not-found registrations as coded results', async () => {
    const ambiguous = await service().registerReferenceNumber(registration({}), { characterCode: '0' });
    assert.equal(ambiguous.MessageHeader.SegmentOfResult, '1');
    assert.equal(ambiguous.MessageBody.ProcessingResultStatus, '2');
    assert.equal(ambiguous.MessageBody.ProcessingResultCode, 'REFERENCE_NUMBER_TARGET_AMBIGUOUS');
    assert.equal(ambiguous.MessageBody.ReferenceNumber, undefined);
    const missing = await service().registerReferenceNumber(
      registration({ InsuredIdentificationNumber: '78' }),
      { characterCode: '0' },
    );
    assert.equal(missing.MessageBody.ProcessingResultCode, 'REFERENCE_NUMBER_TARGET_NOT_FOUND');
    const wrongBirthdate = await service().registerReferenceNumber(
      registration({ InsuredBranchNumber: '01', Birthdate: '19750102' }),
      { characterCode: '0' },
    );
    assert.equal(wrongBirthdate.MessageBody.ProcessingResultCode, 'REFERENCE_NUMBER_TARGET_NOT_FOUND');
  });

  it('refuses a number longer than 50 characters', async () => {
    await assert.rejects(
      service().registerReferenceNumber(
        registration({ InsuredBranchNumber: '01', ReferenceNumber: 'x'.repeat(51) }),
        { characterCode: '0' },
      ),
      (error: unknown) => error instanceof OnshiError && error.code === 'MSG_FIELD_INVALID',
    );
    const fifty = await service().registerReferenceNumber(
      registration({ InsuredBranchNumber: '01', ReferenceNumber: 'y'.repeat(50) }),
      { characterCode: '0' },
    );
    assert.equal(fifty.MessageBody.ReferenceNumber, 'y'.repeat(50));
  });
});
