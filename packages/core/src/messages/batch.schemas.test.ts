import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage, messageToXml } from '../xml/codec.ts';
import { characterCodeFor, type XmlEncoding } from '../xml/encoding.ts';
import { messageFromJson, messageToJson } from '../xml/json.ts';
import type { MessageSchema } from '../xml/schema.ts';
import {
  sampleBulkConfirmRequest,
  sampleBulkConfirmResult,
  sampleBulkDownloadRequest,
  sampleBulkProcessingResult,
  sampleBulkRegistrationRequest,
  sampleBulkRegistrationResult,
  sampleBulkUploadResult,
} from './batch.samples.ts';
import {
  bulkQualificationConfirmDownloadRequestSchema,
  bulkQualificationConfirmRequestSchema,
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationDownloadRequestSchema,
  bulkReferenceNumberRegistrationRequestSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
} from './batch.schemas.ts';

function withCharacterCode<T extends { MessageHeader: object }>(message: T, encoding: XmlEncoding): T {
  if (!('CharacterCodeIdentifier' in message.MessageHeader)) return message;
  return {
    ...message,
    MessageHeader: { ...message.MessageHeader, CharacterCodeIdentifier: characterCodeFor(encoding) },
  };
}

const cases: readonly [string, MessageSchema<unknown>, { MessageHeader: object }][] = [
  ['OQS-IF-005', bulkQualificationConfirmRequestSchema, sampleBulkConfirmRequest],
  ['OQS-IF-006', bulkQualificationConfirmUploadResultSchema, sampleBulkUploadResult],
  ['OQS-IF-007', bulkQualificationConfirmDownloadRequestSchema, sampleBulkDownloadRequest],
  ['OQS-IF-008', bulkQualificationConfirmResultSchema, sampleBulkConfirmResult],
  ['OQS-IF-008 (処理中)', bulkQualificationConfirmResultSchema, sampleBulkProcessingResult],
  ['OQS-IF-009', bulkReferenceNumberRegistrationRequestSchema, sampleBulkRegistrationRequest],
  ['OQS-IF-010', bulkReferenceNumberRegistrationUploadResultSchema, sampleBulkUploadResult],
  ['OQS-IF-011', bulkReferenceNumberRegistrationDownloadRequestSchema, sampleBulkDownloadRequest],
  ['OQS-IF-012', bulkReferenceNumberRegistrationResultSchema, sampleBulkRegistrationResult],
];

describe('batch message schemas (OQS-IF-005…012)', () => {
  it('carry their interface ids in order', () => {
    assert.deepEqual(
      [...new Set(cases.map(([, schema]) => schema.id))],
      [
        'OQS-IF-005',
        'OQS-IF-006',
        'OQS-IF-007',
        'OQS-IF-008',
        'OQS-IF-009',
        'OQS-IF-010',
        'OQS-IF-011',
        'OQS-IF-012',
      ],
    );
  });

  for (const encoding of ['utf-8', 'shift_jis'] as const) {
    for (const [id, schema, message] of cases) {
      it(`${id} round-trips in ${encoding}`, () => {
        const input = withCharacterCode(message, encoding);
        const bytes = encodeMessage(input, schema, { encoding });
        assert.deepEqual(decodeMessage(bytes, schema), input);
      });
    }
  }

  for (const [id, schema, message] of cases) {
    it(`${id} round-trips through the JSON mirror`, () => {
      const json = JSON.parse(JSON.stringify(messageToJson(message)));
      assert.deepEqual(messageFromJson(json, schema), message);
    });
  }

  it('reads a row with missing required fields instead of refusing the file', () => {
    const decoded = decodeMessage(
      encodeMessage(sampleBulkConfirmRequest, bulkQualificationConfirmRequestSchema, {
        encoding: 'shift_jis',
      }),
      bulkQualificationConfirmRequestSchema,
    );
    const rows = decoded.MessageBody.QualificationConfirmSearchInfo;
    assert.equal(rows.length, 3);
    assert.equal(rows[2]?.InsurerNumber, undefined);
    assert.equal(rows[2]?.ArbitraryIdentifier, 'P000125_20240402_3');
  });

  it('writes the units in order with the counts and LimitApplicationCertificateChanged', () => {
    const xml = messageToXml(sampleBulkConfirmResult, bulkQualificationConfirmResultSchema, {
      encoding: 'utf-8',
    });
    assert.equal(xml.split('<BulkConfirmUnit>').length - 1, 3);
    assert.ok(xml.includes('<NumberOfProcessingResult>3</NumberOfProcessingResult>'));
    assert.ok(xml.includes('<NumberOfNormalProcessing>2</NumberOfNormalProcessing>'));
    assert.ok(xml.includes('<NumberOfError>1</NumberOfError>'));
    assert.ok(xml.includes('<LimitApplicationCertificateChanged>1</LimitApplicationCertificateChanged>'));
    assert.ok(xml.indexOf('<RowNumber>1</RowNumber>') < xml.indexOf('<RowNumber>3</RowNumber>'));
  });

  it('still refuses a download request without its ReceptionNumber', () => {
    const xml = messageToXml(sampleBulkDownloadRequest, bulkQualificationConfirmDownloadRequestSchema, {
      encoding: 'utf-8',
    }).replace(/<ReceptionNumber>[^<]*<\/ReceptionNumber>/, '');
    assert.throws(
      () => decodeMessage(xml, bulkQualificationConfirmDownloadRequestSchema),
      (error: { code?: string }) => error.code === 'MSG_FIELD_REQUIRED',
    );
  });
});
