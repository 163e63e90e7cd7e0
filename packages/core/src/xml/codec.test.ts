import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import {
  sampleConfirmRequest,
  sampleConfirmResult,
  sampleFaceResultXml,
  sampleMedicalAssistanceResult,
} from '../messages/samples.ts';
import {
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationRequestSchema,
  referenceNumberRegistrationResultSchema,
} from '../messages/schemas.ts';
import type { QualificationConfirmResult, ReferenceNumberRegistrationResult } from '../messages/types.ts';
import { decodeMessage, encodeMessage, messageToXml } from './codec.ts';
import { encodeCp932 } from './cp932.ts';
import { characterCodeFor, type XmlEncoding } from './encoding.ts';
import type { MessageSchema } from './schema.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function withCharacterCode<T extends { MessageHeader: object }>(message: T, encoding: XmlEncoding): T {
  return {
    ...message,
    MessageHeader: { ...message.MessageHeader, CharacterCodeIdentifier: characterCodeFor(encoding) },
  };
}

function code(expected: string) {
  return (error: unknown) => {
    assert.equal((error as OnshiError).code, expected, String(error));
    return true;
  };
}

/** A result with two ResultOfQualificationConfirmation (health insurance and 医療扶助). */
const twoResults: QualificationConfirmResult = {
  ...sampleConfirmResult,
  MessageBody: {
    ...sampleConfirmResult.MessageBody,
    ResultList: {
      ResultOfQualificationConfirmation: [
        ...(sampleConfirmResult.MessageBody.ResultList?.ResultOfQualificationConfirmation ?? []),
        sampleMedicalAssistanceResult,
      ],
    },
  },
};

const registrationResult: ReferenceNumberRegistrationResult = {
  MessageHeader: {
    ProcessExecutionTime: '20240401100000',
    MedicalInstitutionCode: '1311234567',
    SegmentOfResult: '1',
    CharacterCodeIdentifier: '0',
  },
  MessageBody: { ProcessingResultStatus: '1', ReferenceNumber: 'K-000123' },
};

describe('message codec: round trips', () => {
  const cases = [
    ['OQS-IF-001', qualificationConfirmRequestSchema, sampleConfirmRequest],
    ['OQS-IF-002', qualificationConfirmResultSchema, twoResults],
    [
      'OQS-IF-003',
      referenceNumberRegistrationRequestSchema,
      {
        MessageHeader: { MedicalInstitutionCode: '1311234567' },
        MessageBody: {
          ReferenceNumberRegistrationInfo: {
            ReferenceNumber: '診察券-0001',
            InsurerNumber: '  123456',
            InsuredIdentificationNumber: '4567',
            InsuredBranchNumber: '01',
          },
        },
      },
    ],
    ['OQS-IF-004', referenceNumberRegistrationResultSchema, registrationResult],
  ] as const;

  for (const encoding of ['utf-8', 'shift_jis'] as const) {
    for (const [id, schema, message] of cases) {
      it(`${id} in ${encoding}`, () => {
        const input =
          'CharacterCodeIdentifier' in message.MessageHeader ? withCharacterCode(message, encoding) : message;
        const anySchema: MessageSchema<unknown> = schema;
        const bytes = encodeMessage(input, anySchema, { encoding });
        assert.deepEqual(decodeMessage(bytes, anySchema), input);
      });
    }
  }

  it('keeps kanji, the full-width space, half-width kana and the spaces of a 6-digit insurer number', () => {
    for (const encoding of ['utf-8', 'shift_jis'] as const) {
      const bytes = encodeMessage(withCharacterCode(twoResults, encoding), qualificationConfirmResultSchema, {
        encoding,
      });
      const person = decodeMessage(bytes, qualificationConfirmResultSchema).MessageBody.ResultList
        ?.ResultOfQualificationConfirmation[0];
      assert.equal(person?.Name, '診療　太郎');
      assert.equal(person?.NameKana, 'ｼﾝﾘｮｳ ﾀﾛｳ');
      assert.equal(person?.InsurerNumber, '  123456');
      assert.equal(person?.InsurerName, '千代田区国民健康保険');
    }
  });

  it('writes the declaration, schema order, and half-width kana as single Shift_JIS bytes', () => {
    const sj = encodeMessage(
      withCharacterCode(sampleConfirmResult, 'shift_jis'),
      qualificationConfirmResultSchema,
      {
        encoding: 'shift_jis',
      },
    );
    const head = new TextDecoder('shift_jis').decode(sj.subarray(0, 60));
    assert.ok(head.startsWith('<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>'));
    const kana = new TextDecoder('shift_jis').decode(sj).indexOf('ｼﾝﾘｮｳ');
    assert.ok(kana > 0);
    const xml = messageToXml(sampleConfirmRequest, qualificationConfirmRequestSchema, { encoding: 'utf-8' });
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="no"?>'));
    assert.ok(xml.indexOf('<QualificationConfirmationDate>') < xml.indexOf('<MedicalInstitutionCode>'));
    assert.ok(xml.indexOf('<InsurerNumber>  123456</InsurerNumber>') > 0);
  });

  it('escapes markup characters and keeps CR through a round trip', () => {
    const message = structuredClone(sampleConfirmRequest);
    message.MessageBody.QualificationConfirmSearchInfo.ArbitraryIdentifier = `a<b>&c"d'e]]>\r\nf\tg`;
    const xml = messageToXml(message, qualificationConfirmRequestSchema, { encoding: 'utf-8' });
    assert.ok(xml.includes('a&lt;b&gt;&amp;c"d\'e]]&gt;&#13;\nf\tg'));
    assert.deepEqual(decodeMessage(xml, qualificationConfirmRequestSchema), message);
  });

  it('omits empty optional elements and optional groups with nothing inside', () => {
    const message = structuredClone(sampleConfirmResult);
    message.MessageHeader.ErrorMessage = '';
    const person = message.MessageBody.ResultList?.ResultOfQualificationConfirmation[0];
    assert.ok(person);
    person.ElderlyRecipientCertificateInfo = {};
    const xml = messageToXml(message, qualificationConfirmResultSchema, { encoding: 'utf-8' });
    assert.ok(!xml.includes('ErrorMessage') && !xml.includes('ElderlyRecipient'));
  });
});

describe('message codec: reading real-world shapes', () => {
  it('reads a face file with elements in any order and a single-quoted declaration', () => {
    assert.deepEqual(
      decodeMessage(utf8(sampleFaceResultXml), qualificationConfirmResultSchema),
      sampleConfirmResult,
    );
    assert.deepEqual(
      decodeMessage(sampleFaceResultXml, qualificationConfirmResultSchema),
      sampleConfirmResult,
    );
  });

  it('reads documents of different element orders one after the other', () => {
    const ordered = messageToXml(sampleConfirmResult, qualificationConfirmResultSchema, {
      encoding: 'utf-8',
    });
    const reversed = ordered.replace(
      /(<ElderlyRecipientCertificateInfo>)(.*?)(<\/ElderlyRecipientCertificateInfo>)/s,
      (_, open: string, inner: string, close: string) =>
        open + (inner.match(/<(\w+)>[^<]*<\/\1>/g) ?? []).reverse().join('') + close,
    );
    assert.notEqual(reversed, ordered);
    for (const xml of [ordered, sampleFaceResultXml, reversed, ordered, reversed, sampleFaceResultXml]) {
      assert.deepEqual(decodeMessage(xml, qualificationConfirmResultSchema), sampleConfirmResult);
    }
  });

  it('reads several ResultOfQualificationConfirmation into an array', () => {
    const second = `<ResultOfQualificationConfirmation>
        <InsurerName>千代田区福祉事務所</InsurerName><Sex1>1</Sex1><Birthdate>19600115</Birthdate>
        <InsuredCardClassification>14</InsuredCardClassification><InsurerNumber>12136017</InsurerNumber>
        <InsuredIdentificationNumber>7654321</InsuredIdentificationNumber><Name>診療　太郎</Name>
        <NameKana>ｼﾝﾘｮｳ ﾀﾛｳ</NameKana><QualificationDate>20240301</QualificationDate>
      </ResultOfQualificationConfirmation>
    </ResultList>`;
    const xml = sampleFaceResultXml.replace('</ResultList>', second);
    assert.deepEqual(decodeMessage(utf8(xml), qualificationConfirmResultSchema), twoResults);
  });

  it('reads Shift_JIS files under every CP932 alias, and UTF-8 with a byte-order mark', () => {
    const xml = messageToXml(sampleConfirmRequest, qualificationConfirmRequestSchema, {
      encoding: 'shift_jis',
    });
    for (const label of ['Shift_JIS', 'shift-jis', 'SJIS', 'Windows-31J', 'cp932', 'MS932']) {
      const bytes = encodeCp932(xml.replace('encoding="Shift_JIS"', `encoding='${label}'`));
      assert.deepEqual(decodeMessage(bytes, qualificationConfirmRequestSchema), sampleConfirmRequest, label);
    }
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(sampleFaceResultXml)]);
    assert.deepEqual(decodeMessage(bom, qualificationConfirmResultSchema), sampleConfirmResult);
  });

  it('defaults to UTF-8 without a declaration, accepts CRLF, comments, PIs, CDATA and references', () => {
    const xml = [
      '<!-- written by hand -->\r\n<XmlMsg>\r\n <MessageHeader><?app hint?>',
      '<QualificationConfirmationDate>2024<!-- c -->0401</QualificationConfirmationDate>',
      '<MedicalInstitutionCode><![CDATA[1311234567]]></MedicalInstitutionCode>',
      '<ArbitraryFileIdentifier>&lt;&#x41;&#66;&amp;&quot;&apos;&gt;&#x1F600;</ArbitraryFileIdentifier>',
      '</MessageHeader>\r\n<MessageBody><QualificationConfirmSearchInfo x="1" y=\'&amp;\'>',
      '<InsurerNumber>  123456</InsurerNumber><InsuredIdentificationNumber>4567</InsuredIdentificationNumber>',
      '<Birthdate>19600115</Birthdate><LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>',
      '<ArbitraryIdentifier>line1\r\nline2\rline3</ArbitraryIdentifier>',
      '<InsuredCardSymbol/><InsuredBranchNumber></InsuredBranchNumber >',
      '</QualificationConfirmSearchInfo></MessageBody></XmlMsg>\r\n<!-- end -->\r\n',
    ].join('');
    const message = decodeMessage(utf8(xml), qualificationConfirmRequestSchema);
    assert.deepEqual(message, {
      MessageHeader: {
        QualificationConfirmationDate: '20240401',
        MedicalInstitutionCode: '1311234567',
        ArbitraryFileIdentifier: '<AB&"\'>😀',
      },
      MessageBody: {
        QualificationConfirmSearchInfo: {
          InsurerNumber: '  123456',
          InsuredIdentificationNumber: '4567',
          Birthdate: '19600115',
          LimitApplicationCertificateRelatedConsFlg: '0',
          ArbitraryIdentifier: 'line1\nline2\nline3',
        },
      },
    });
  });

  it('skips unknown elements, even nested ones with attributes', () => {
    const xml = sampleFaceResultXml.replace(
      '<Sex1>1</Sex1>',
      '<Sex1>1</Sex1><QualificationConfirmationKey a="b">K<Inner><Name>x</Name></Inner></QualificationConfirmationKey><Empty/>',
    );
    assert.deepEqual(decodeMessage(xml, qualificationConfirmResultSchema), sampleConfirmResult);
  });

  it('does not trim text, but does not mind formatting around groups', () => {
    const xml = sampleFaceResultXml.replace('<Name>診療　太郎</Name>', '<Name> 診療　太郎\n</Name>');
    const person = decodeMessage(xml, qualificationConfirmResultSchema).MessageBody.ResultList
      ?.ResultOfQualificationConfirmation[0];
    assert.equal(person?.Name, ' 診療　太郎\n');
  });
});

describe('message codec: content errors', () => {
  const request = messageToXml(sampleConfirmRequest, qualificationConfirmRequestSchema, {
    encoding: 'utf-8',
  });

  it('names the path of a missing required element', () => {
    const xml = request.replace('<Birthdate>19600115</Birthdate>', '');
    assert.throws(
      () => decodeMessage(xml, qualificationConfirmRequestSchema),
      (error: OnshiError) =>
        error.code === 'MSG_FIELD_REQUIRED' &&
        error.params.field === 'MessageBody/QualificationConfirmSearchInfo/Birthdate',
    );
    const empty = request.replace('<Birthdate>19600115</Birthdate>', '<Birthdate></Birthdate>');
    assert.throws(() => decodeMessage(empty, qualificationConfirmRequestSchema), code('MSG_FIELD_REQUIRED'));
    const noBody = request.replace(/<MessageBody>.*<\/MessageBody>/s, '');
    assert.throws(() => decodeMessage(noBody, qualificationConfirmRequestSchema), code('MSG_FIELD_REQUIRED'));
  });

  it('numbers repeated groups in paths', () => {
    const xml = sampleFaceResultXml.replace(
      '</ResultList>',
      '<ResultOfQualificationConfirmation><Sex1>1</Sex1></ResultOfQualificationConfirmation></ResultList>',
    );
    assert.throws(
      () => decodeMessage(xml, qualificationConfirmResultSchema),
      (error: OnshiError) =>
        error.params.field ===
        'MessageBody/ResultList/ResultOfQualificationConfirmation[2]/InsuredCardClassification',
    );
  });

  it('refuses a single element given twice, even when the first was empty', () => {
    const twice = request.replace(
      '<Birthdate>19600115</Birthdate>',
      '<Birthdate>19600115</Birthdate><Birthdate>19600116</Birthdate>',
    );
    assert.throws(
      () => decodeMessage(twice, qualificationConfirmRequestSchema),
      code('MSG_ELEMENT_REPEATED'),
    );
    const emptyFirst = request.replace('<InsurerNumber>', '<InsuredCardSymbol/><InsurerNumber>');
    assert.throws(
      () => decodeMessage(emptyFirst, qualificationConfirmRequestSchema),
      code('MSG_ELEMENT_REPEATED'),
    );
  });

  it('refuses text among elements and elements inside text', () => {
    const text = request.replace('<MessageBody>', '<MessageBody>stray');
    assert.throws(() => decodeMessage(text, qualificationConfirmRequestSchema), code('MSG_FIELD_INVALID'));
    const element = request.replace('<Birthdate>19600115', '<Birthdate>1960<b/>0115');
    assert.throws(() => decodeMessage(element, qualificationConfirmRequestSchema), code('MSG_FIELD_INVALID'));
  });

  it('refuses a message that cannot be written', () => {
    const encode = (message: unknown) =>
      encodeMessage(message as never, qualificationConfirmRequestSchema, { encoding: 'utf-8' });
    const noDate = structuredClone(sampleConfirmRequest) as { MessageHeader: Record<string, unknown> };
    delete noDate.MessageHeader.QualificationConfirmationDate;
    assert.throws(() => encode(noDate), code('MSG_FIELD_REQUIRED'));
    const number = structuredClone(sampleConfirmRequest) as { MessageHeader: Record<string, unknown> };
    number.MessageHeader.MedicalInstitutionCode = 1311234567;
    assert.throws(() => encode(number), code('MSG_FIELD_INVALID'));
    const control = structuredClone(sampleConfirmRequest);
    control.MessageHeader.ArbitraryFileIdentifier = 'a\u0001b';
    assert.throws(() => encode(control), code('XML_CHARACTER_UNENCODABLE'));
    const emoji = structuredClone(sampleConfirmRequest);
    emoji.MessageHeader.ArbitraryFileIdentifier = '😀';
    assert.throws(
      () => encodeMessage(emoji, qualificationConfirmRequestSchema, { encoding: 'shift_jis' }),
      code('XML_CHARACTER_UNENCODABLE'),
    );
  });

  it('refuses a CharacterCodeIdentifier that contradicts the output encoding', () => {
    assert.equal(characterCodeFor('utf-8'), '0');
    assert.equal(characterCodeFor('shift_jis'), '1');
    assert.throws(
      () => encodeMessage(sampleConfirmResult, qualificationConfirmResultSchema, { encoding: 'shift_jis' }),
      code('MSG_FIELD_INVALID'),
    );
  });
});
