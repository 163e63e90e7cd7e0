import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage, messageToXml } from '../xml/codec.ts';
import { encodeCp932 } from '../xml/cp932.ts';
import { characterCodeFor, type XmlEncoding } from '../xml/encoding.ts';
import { messageFromJson, messageToJson } from '../xml/json.ts';
import type { MessageSchema } from '../xml/schema.ts';
import {
  checkupInformationRequestSchema,
  checkupInformationResultSchema,
  medicationInformationRequestSchema,
  medicationInformationResultSchema,
} from './medinfo.schemas.ts';
import type { MedicationInformationRequest } from './medinfo.types.ts';
import {
  sampleCheckupRequest,
  sampleCheckupResult,
  sampleMedicationRequest,
  sampleMedicationResult,
} from './samples.ts';

function withCharacterCode<T extends { MessageHeader: object }>(message: T, encoding: XmlEncoding): T {
  if (!('CharacterCodeIdentifier' in message.MessageHeader)) return message;
  return {
    ...message,
    MessageHeader: { ...message.MessageHeader, CharacterCodeIdentifier: characterCodeFor(encoding) },
  };
}

const cases = [
  ['YZK request', medicationInformationRequestSchema, sampleMedicationRequest],
  ['YZK result', medicationInformationResultSchema, sampleMedicationResult],
  ['TKK request', checkupInformationRequestSchema, sampleCheckupRequest],
  ['TKK result', checkupInformationResultSchema, sampleCheckupResult],
] as const;

describe('YZK / TKK schemas (oqs-interface.md §2.7)', () => {
  for (const encoding of ['utf-8', 'shift_jis'] as const) {
    for (const [label, schema, message] of cases) {
      it(`round-trips the ${label} in ${encoding}`, () => {
        const input = withCharacterCode(message, encoding);
        const bytes = encodeMessage(input, schema as MessageSchema<typeof input>, { encoding });
        const head = new TextDecoder('latin1').decode(bytes.subarray(0, 60));
        assert.match(head, new RegExp(`encoding="${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'}"`));
        assert.deepEqual(decodeMessage(bytes, schema as MessageSchema<unknown>), input);
      });
    }
  }

  for (const [label, schema, message] of cases) {
    it(`round-trips the ${label} through its JSON mirror`, () => {
      const json = JSON.parse(JSON.stringify(messageToJson(message)));
      assert.deepEqual(messageFromJson(json, schema as MessageSchema<unknown>), message);
    });
  }

  it('writes the element names of §2.7 exactly (and onshi’s where it is silent)', () => {
    const request = messageToXml(sampleMedicationRequest, medicationInformationRequestSchema, {
      encoding: 'utf-8',
    });
    for (const name of [
      'InsuranceCardSymbol',
      'InsuredPersonIdentificationNumber',
      'BranchNumber',
      'StartDate',
      'EndDate',
      'FileCategory',
      'PrDiInfClassification',
      'MedicalTreatmentFlag',
      'Birthdate',
    ]) {
      assert.ok(request.includes(`<${name}>`), name);
    }
    const yzk = messageToXml(sampleMedicationResult, medicationInformationResultSchema, {
      encoding: 'utf-8',
    });
    assert.match(
      yzk,
      /<QuaInf><Name>[^<]+<\/Name><KanaName>[^<]+<\/KanaName><Birth>19600115<\/Birth><AdmGendCode>1<\/AdmGendCode><\/QuaInf>/,
    );
    assert.match(yzk, /<MeTrMonthInf><DiOrg>4<\/DiOrg><MeTrDiHCd>1341234560<\/MeTrDiHCd><PrlsHCd>/);
    assert.match(
      yzk,
      /<DiDateInfs><DiDateInf><DiDate>20240305<\/DiDate><PrDate>20240304<\/PrDate><DrugInfs>/,
    );
    assert.equal(yzk.match(/<DrugInf>/g)?.length, 2);
    const tkk = messageToXml(sampleCheckupResult, checkupInformationResultSchema, { encoding: 'utf-8' });
    assert.match(tkk, /<QualificationsInfo><Name>[^<]+<\/Name><KanasName>/);
    assert.match(
      tkk,
      /<SpecificHealthCheckupInfo><EffectiveTime>20230612<\/EffectiveTime>[\s\S]*<HealthCheckupResultAndQuestionInfos><HealthCheckupResultAndQuestionInfo><ItemCode>/,
    );
  });

  it('reads a Shift_JIS request written by hand, elements in any order, as a real client sends it', () => {
    const text = `<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>
<XmlMsg>
  <MessageBody>
    <MedicalTreatmentFlag>1</MedicalTreatmentFlag>
    <FileCategory>1</FileCategory>
    <EndDate>202403</EndDate>
    <StartDate>202104</StartDate>
    <PrDiInfClassification>1</PrDiInfClassification>
  </MessageBody>
  <MessageHeader>
    <InsuredPersonIdentificationNumber>４５６７</InsuredPersonIdentificationNumber>
    <MedicalInstitutionCode>1311234567</MedicalInstitutionCode>
    <InsurerNumber>06139992</InsurerNumber>
    <InsuranceCardSymbol>記号１</InsuranceCardSymbol>
    <BranchNumber>00</BranchNumber>
    <ArbitraryFileIdentifier>x1</ArbitraryFileIdentifier>
  </MessageHeader>
</XmlMsg>
`;
    const message = decodeMessage(encodeCp932(text), medicationInformationRequestSchema);
    assert.deepEqual(message, {
      MessageHeader: {
        InsuredPersonIdentificationNumber: '４５６７',
        MedicalInstitutionCode: '1311234567',
        InsurerNumber: '06139992',
        InsuranceCardSymbol: '記号１',
        BranchNumber: '00',
        ArbitraryFileIdentifier: 'x1',
      },
      MessageBody: {
        MedicalTreatmentFlag: '1',
        FileCategory: '1',
        EndDate: '202403',
        StartDate: '202104',
        PrDiInfClassification: '1',
      },
    } satisfies MedicationInformationRequest);
  });

  it('refuses a request without the institution code, and a result drug without a name', () => {
    assert.throws(
      () =>
        decodeMessage(
          '<XmlMsg><MessageHeader><InsurerNumber>06139992</InsurerNumber></MessageHeader><MessageBody/></XmlMsg>',
          checkupInformationRequestSchema,
        ),
      { code: 'MSG_FIELD_REQUIRED' },
    );
    const month = sampleMedicationResult.MessageBody.MeTrMonthInf![0]!;
    const day = month.DiDateInfs.DiDateInf[0]!;
    const nameless = {
      ...sampleMedicationResult,
      MessageBody: {
        ...sampleMedicationResult.MessageBody,
        MeTrMonthInf: [
          {
            ...month,
            DiDateInfs: { DiDateInf: [{ ...day, DrugInfs: { DrugInf: [{ DrugC: '699000001' }] } }] },
          },
        ],
      },
    };
    assert.throws(() => messageFromJson(messageToJson(nameless), medicationInformationResultSchema), {
      code: 'MSG_FIELD_REQUIRED',
    });
  });

  it('refuses a TKK request carrying the YZK period (TKK has none)', () => {
    const json = { XmlMsg: { ...sampleCheckupRequest, MessageBody: { StartDate: '202401' } } };
    assert.throws(() => messageFromJson(json, checkupInformationRequestSchema), {
      code: 'MSG_FIELD_INVALID',
    });
  });
});
