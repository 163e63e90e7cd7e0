import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { institutionCode, insurerNumber } from '../test/fixtures.ts';
import { parseMedicalInfoRequest, periodOf, requireViewer } from './medinfo.request.ts';
import { answerFormat } from './medinfo.routes.ts';

const clinic = institutionCode('13', '1', '123456');
const insurer = insurerNumber('06', '13', '999');

const header = {
  MedicalInstitutionCode: clinic,
  InsurerNumber: insurer,
  InsuranceCardSymbol: '記号',
  InsuredPersonIdentificationNumber: '1001',
  BranchNumber: '00',
  Birthdate: '19580203',
};

describe('YZK / TKK request validation', () => {
  it('reads card data, period, output and treatment flag', () => {
    const parsed = parseMedicalInfoRequest('YZK', {
      MessageHeader: header,
      MessageBody: { StartDate: '202401', EndDate: '202403', FileCategory: '1' },
    });
    assert.deepEqual(parsed.subject, {
      by: 'card',
      card: { insurerNumber: insurer, cardSymbol: '記号', cardNumber: '1001', branchNumber: '00' },
      birthdate: '1958-02-03',
    });
    assert.deepEqual(
      [parsed.disasterMode, parsed.startMonth, parsed.endMonth, parsed.fileCategory, parsed.treatmentFlag],
      [false, '202401', '202403', '1', '1'],
    );
  });

  it('takes the card data without a birth date (§2.7 has none: the 枝番 makes the card individual)', () => {
    for (const Birthdate of [undefined, '']) {
      const parsed = parseMedicalInfoRequest('TKK', {
        MessageHeader: { ...header, Birthdate },
        MessageBody: {},
      });
      assert.deepEqual(parsed.subject, {
        by: 'card',
        card: { insurerNumber: insurer, cardSymbol: '記号', cardNumber: '1001', branchNumber: '00' },
        birthdate: undefined,
      });
    }
  });

  it('names the request’s own elements in its refusals', () => {
    const refuse = (h: object, body: object, code: string, field?: string) =>
      assert.throws(
        () => parseMedicalInfoRequest('YZK', { MessageHeader: { ...header, ...h }, MessageBody: body }),
        (e: { code: string; params: { field?: string } }) => e.code === code && e.params.field === field,
      );
    refuse({ Birthdate: '19580231' }, {}, 'DATE_INVALID');
    refuse({ BranchNumber: '1' }, {}, 'MSG_FIELD_INVALID', 'BranchNumber');
    refuse(
      { InsuredPersonIdentificationNumber: '' },
      {},
      'MSG_FIELD_REQUIRED',
      'InsuredPersonIdentificationNumber',
    );
    refuse({ DisasterPersonIdentifier: '12' }, {}, 'MSG_FIELD_INVALID', 'DisasterPersonIdentifier');
    refuse({}, { StartDate: '202413' }, 'MSG_FIELD_INVALID', 'StartDate');
    refuse({}, { FileCategory: '3' }, 'MSG_FIELD_INVALID', 'FileCategory');
    refuse({}, { MedicalTreatmentFlag: '7' }, 'CODE_UNKNOWN');
  });

  it('selects disaster mode by a reason or by a disaster search’s person id', () => {
    const byId = parseMedicalInfoRequest('TKK', {
      MessageHeader: { MedicalInstitutionCode: clinic, DisasterPersonIdentifier: '42' },
      MessageBody: {},
    });
    assert.deepEqual([byId.subject, byId.disasterMode], [{ by: 'person', personId: 42 }, true]);
    const byReason = parseMedicalInfoRequest('TKK', {
      MessageHeader: header,
      MessageBody: { DisasterUseReason: '救急搬送' },
    });
    assert.equal(byReason.disasterMode, true);
  });

  it('answers the last 3 (YZK) or 5 (TKK) years, or the months asked for within them', () => {
    const base = { startMonth: undefined, endMonth: undefined };
    assert.deepEqual(periodOf({ kind: 'YZK', ...base }, '2026-06-01'), {
      from: '2023-06-01',
      to: '2026-06-01',
    });
    assert.deepEqual(periodOf({ kind: 'TKK', ...base }, '2026-06-01'), {
      from: '2021-06-01',
      to: '2026-06-01',
    });
    assert.deepEqual(periodOf({ kind: 'YZK', startMonth: '202402', endMonth: '202402' }, '2026-06-01'), {
      from: '2024-02-01',
      to: '2024-02-29',
    });
    assert.deepEqual(periodOf({ kind: 'YZK', startMonth: '202001', endMonth: '202612' }, '2026-06-01'), {
      from: '2023-06-01',
      to: '2026-06-01',
    });
    assert.throws(() => periodOf({ kind: 'YZK', startMonth: '202001', endMonth: '202112' }, '2026-06-01'), {
      code: 'MSG_FIELD_INVALID',
    });
  });

  it('requires a terminal user with the viewer role', () => {
    assert.equal(requireViewer({ terminalUser: 'dr', role: 'viewer' }), 'dr');
    assert.throws(() => requireViewer({ terminalUser: undefined, role: 'viewer' }), {
      code: 'MEDINFO_TERMINAL_USER_REQUIRED',
    });
    for (const role of [undefined, '', 'clerk', 'admin', 'Viewer', 'viewer,admin']) {
      assert.throws(
        () => requireViewer({ terminalUser: 'dr', role }),
        { code: 'MEDINFO_ROLE_REQUIRED' },
        role,
      );
    }
  });
});

describe('answer format', () => {
  it('Accept first, then FileCategory, then the request’s format', () => {
    assert.equal(answerFormat('application/pdf', '2', 'xml'), 'pdf');
    assert.equal(answerFormat('text/html, application/json;q=0.9', '1', 'xml'), 'json');
    assert.equal(answerFormat('application/xml', undefined, 'json'), 'xml');
    assert.equal(answerFormat('*/*', '1', 'xml'), 'pdf');
    assert.equal(answerFormat(undefined, '2', 'json'), 'xml');
    assert.equal(answerFormat(undefined, undefined, 'json'), 'json');
    assert.equal(answerFormat('', undefined, 'xml'), 'xml');
  });
});
