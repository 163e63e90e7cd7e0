import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insurerNumberCheckDigit, type MedicationInformationResult } from '@onshi/core';
import {
  centralRefusal,
  consentView,
  medicationsView,
  medinfoRequest,
  pickerPatients,
  rangeFlag,
  terminalUserHeader,
} from './station.medinfo.ts';
import type { ReaderRecord } from './station.records.ts';

const insurer = `0613999${insurerNumberCheckDigit('0613999')}`;
const clinic = '1310123458';

describe('viewer requests (YZK / TKK)', () => {
  it('uses the §2.7 element names; no birth date unless given; the period as yyyyMM', () => {
    const yzk = medinfoRequest(
      'medications',
      { insurerNumber: insurer, symbol: '12', number: '1', branch: '00', from: '2025-04', to: '2026-03' },
      clinic,
    );
    assert.deepEqual(yzk, {
      MessageHeader: {
        MedicalInstitutionCode: clinic,
        InsurerNumber: insurer,
        InsuranceCardSymbol: '12',
        InsuredPersonIdentificationNumber: '1',
        BranchNumber: '00',
      },
      MessageBody: { StartDate: '202504', EndDate: '202603' },
    });
    const tkk = medinfoRequest(
      'checkups',
      { insurerNumber: insurer, number: '1', birthdate: '1990-05-05' },
      clinic,
    );
    assert.equal(tkk.MessageHeader.Birthdate, '19900505');
    assert.deepEqual(tkk.MessageBody, {});
    const disaster = medinfoRequest('checkups', { disasterPersonId: '42', reason: '避難所' }, clinic);
    assert.deepEqual(disaster, {
      MessageHeader: { MedicalInstitutionCode: clinic, DisasterPersonIdentifier: '42' },
      MessageBody: { DisasterUseReason: '避難所' },
    });
  });

  it('refuses bad input with coded errors', () => {
    const code = (fn: () => unknown, expected: string) =>
      assert.throws(fn, (e: { code: string }) => e.code === expected);
    code(() => medinfoRequest('medications', { number: '1' }, clinic), 'MSG_FIELD_REQUIRED');
    code(
      () => medinfoRequest('medications', { insurerNumber: '06139990', number: '1' }, clinic),
      'INSURER_NUMBER_INVALID',
    );
    code(
      () => medinfoRequest('medications', { insurerNumber: insurer, number: '1', from: '2025-13' }, clinic),
      'MSG_FIELD_INVALID',
    );
    code(
      () =>
        medinfoRequest(
          'medications',
          { insurerNumber: insurer, number: '1', from: '2026-02', to: '2026-01' },
          clinic,
        ),
      'MSG_FIELD_INVALID',
    );
    code(() => medinfoRequest('checkups', { disasterPersonId: '42' }, clinic), 'DISASTER_REASON_REQUIRED');
    code(
      () => medinfoRequest('checkups', { disasterPersonId: 'x', reason: 'r' }, clinic),
      'MSG_FIELD_INVALID',
    );
  });

  it('URI-encodes the terminal user', () => {
    assert.deepEqual(terminalUserHeader('医師 1'), { 'x-onshi-terminal-user': '%E5%8C%BB%E5%B8%AB%201' });
  });

  it('reads central’s refusal with the explanation; an answer without a code is not a refusal', () => {
    const body = new TextEncoder().encode(JSON.stringify({ code: 'MEDINFO_CONSENT_EXPIRED', message: '…' }));
    const refusal = centralRefusal({ status: 403, contentType: 'application/json', body });
    assert.equal(refusal.status, 403);
    assert.equal(refusal.body.explanation?.ja, '同意の有効期限が切れています');
    assert.throws(
      () => centralRefusal({ status: 500, contentType: 'text/plain', body: new Uint8Array() }),
      (e: { code: string }) => e.code === 'CONNECTOR_CENTRAL_ANSWER_INVALID',
    );
    assert.throws(
      () => centralRefusal({ status: 503, contentType: 'text/plain', body: new Uint8Array() }),
      (e: { code: string }) => e.code === 'TERMINAL_CENTRAL_UNREACHABLE',
    );
  });
});

describe('views of central’s answers', () => {
  it('shows the latest month first, keeping central’s order within a month', () => {
    const month = (m: string, code: string) => ({
      MeTrMonth: m,
      MeTrDiHCd: code,
      DiOrg: code.slice(2, 3),
      DiDateInfs: {
        DiDateInf: [{ DiDate: `${m}05`, DrugInfs: { DrugInf: [{ DrugN: `drug ${m}`, Times: '7' }] } }],
      },
    });
    const result: MedicationInformationResult = {
      MessageHeader: {
        ProcessExecutionTime: '20260601090000',
        SegmentOfResult: '1',
        CharacterCodeIdentifier: '0',
      },
      MessageBody: {
        ResultCode: '1',
        StartDate: '202306',
        EndDate: '202606',
        MeTrMonthInf: [month('202604', '1314000017'), month('202605', '1314000017'), month('202605', clinic)],
      },
    };
    const view = medicationsView(result);
    assert.deepEqual(
      view.months.map((m) => [m.month, m.institution]),
      [
        ['2026-05', '1314000017'],
        ['2026-05', clinic],
        ['2026-04', '1314000017'],
      ],
    );
    assert.deepEqual(view.period, { from: '2023-06', to: '2026-06' });
    assert.equal(view.months[0]!.rows[0]!.date, '2026-05-05');
    assert.deepEqual(view.institutions, [clinic, '1314000017'].sort());
  });

  it('flags values outside the reference range, the 判定 first', () => {
    assert.equal(rangeFlag({ DataValue: '130', ReferenceRangeHigh: '129' }), 'high');
    assert.equal(rangeFlag({ DataValue: '129', ReferenceRangeHigh: '129' }), undefined);
    assert.equal(rangeFlag({ DataValue: '39', ReferenceRangeLow: '40' }), 'low');
    assert.equal(rangeFlag({ DataValue: '120', ReferenceRangeHigh: '129', InterpretationCode: 'H' }), 'high');
    assert.equal(rangeFlag({ DataValue: '1', InterpretationCode: 'N' }), undefined);
    assert.equal(rangeFlag({ DataValue: 'abc', ReferenceRangeHigh: '1' }), undefined);
  });
});

describe('the picker and the consent state', () => {
  /** 09:00 JST on 2026-06-02: the expiry of a consent given at 09:00 the day before. */
  const now = new Date('2026-06-02T00:00:00Z');
  const record = (id: string, at: string, summary: ReaderRecord['summary']): ReaderRecord => ({
    id,
    at,
    kind: 'confirmation',
    authMethod: 'pin',
    outcome: 'valid',
    faceFile: undefined,
    errorCode: undefined,
    summary,
  });
  const card = { insurerNumber: insurer, symbol: '12', number: '1', branch: '00', name: '厚労　花子' };
  const times = (expiresAt: string) => ({ givenAt: '2026-06-01T09:00:00+09:00', expiresAt });

  it('judges the consent state at the given time', () => {
    const live = {
      consents: { PharmacistsInfoConsFlg: '1' },
      consentTimes: { PharmacistsInfoConsFlg: times('2026-06-02T09:00:00+09:00') },
    };
    const justBefore = new Date('2026-06-01T23:59:59.999Z');
    assert.equal(consentView(live, 'PharmacistsInfoConsFlg', justBefore).state, 'live');
    assert.equal(consentView(live, 'PharmacistsInfoConsFlg', now).state, 'expired', 'at the expiry instant');
    assert.equal(
      consentView({ consents: { PharmacistsInfoConsFlg: '2' } }, 'PharmacistsInfoConsFlg', now).state,
      'expired',
    );
    assert.equal(
      consentView({ consents: { PharmacistsInfoConsFlg: '0' } }, 'PharmacistsInfoConsFlg', now).state,
      'none',
    );
    assert.equal(consentView({}, 'SpecificHealthCheckupsInfoConsFlg', now).state, 'unknown');
  });

  it('lists each card once (its latest session), only with a consent to 薬剤 or 特定健診', () => {
    const records = [
      record('a', '2026-06-01T03:00:00Z', { ...card, consents: { SpecificHealthCheckupsInfoConsFlg: '1' } }),
      record('b', '2026-06-01T02:00:00Z', { ...card, consents: { PharmacistsInfoConsFlg: '1' } }),
      record('c', '2026-06-01T01:00:00Z', {
        ...card,
        number: '2',
        consents: { PharmacistsInfoConsFlg: '0' },
      }),
      record('d', '2026-06-01T00:30:00Z', { ...card, number: '3', consents: { DiagnosisInfoConsFlg: '1' } }),
      record('e', '2026-06-01T00:00:00Z', { name: 'no card', consents: { PharmacistsInfoConsFlg: '1' } }),
    ];
    const patients = pickerPatients(records, now);
    assert.deepEqual(
      patients.map((p) => [p.recordId, p.consents.medications.state, p.consents.checkups.state]),
      [['a', 'unknown', 'live']],
    );
  });
});
