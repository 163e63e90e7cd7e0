import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
