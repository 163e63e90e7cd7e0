import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { sampleConfirmRequest, sampleConfirmResult } from '../messages/samples.ts';
import { qualificationConfirmRequestSchema, qualificationConfirmResultSchema } from '../messages/schemas.ts';
import { decodeMessage, messageToXml } from './codec.ts';
import { messageFromJson, messageToJson } from './json.ts';

function fails(value: unknown, expected: string, field?: string) {
  assert.throws(
    () => messageFromJson(value, qualificationConfirmRequestSchema),
    (error: OnshiError) => {
      assert.equal(error.code, expected, String(error));
      if (field !== undefined) assert.equal(error.params.field, field);
      return true;
    },
  );
}

function requestWith(change: (info: Record<string, unknown>) => void): unknown {
  const json = JSON.parse(JSON.stringify(messageToJson(sampleConfirmRequest)));
  change(json.XmlMsg.MessageBody.QualificationConfirmSearchInfo);
  return json;
}

describe('JSON mirror', () => {
  it('is the XML message under an XmlMsg key, both ways', () => {
    const json = JSON.parse(JSON.stringify(messageToJson(sampleConfirmResult)));
    assert.deepEqual(Object.keys(json), ['XmlMsg']);
    assert.deepEqual(messageFromJson(json, qualificationConfirmResultSchema), sampleConfirmResult);
    const xml = messageToXml(sampleConfirmResult, qualificationConfirmResultSchema, { encoding: 'utf-8' });
    assert.deepEqual(messageToJson(decodeMessage(xml, qualificationConfirmResultSchema)), json);
  });

  it('returns a fresh object and drops empty strings', () => {
    const json = requestWith((info) => {
      info.InsuredCardSymbol = '';
    });
    const message = messageFromJson(json, qualificationConfirmRequestSchema);
    assert.equal('InsuredCardSymbol' in message.MessageBody.QualificationConfirmSearchInfo, false);
    assert.notEqual(message, (json as { XmlMsg: unknown }).XmlMsg);
  });

  it('refuses unknown keys, wrong shapes and non-string leaves', () => {
    fails(null, 'MSG_FIELD_INVALID');
    fails([], 'MSG_FIELD_INVALID');
    fails({ XmlMsg: {}, extra: 1 }, 'MSG_FIELD_INVALID', 'extra');
    fails({}, 'MSG_FIELD_REQUIRED', 'XmlMsg');
    fails(
      requestWith((info) => {
        info.Unknown = 'x';
      }),
      'MSG_FIELD_INVALID',
      'MessageBody/QualificationConfirmSearchInfo/Unknown',
    );
    fails(
      requestWith((info) => {
        info.Birthdate = 19600115;
      }),
      'MSG_FIELD_INVALID',
      'MessageBody/QualificationConfirmSearchInfo/Birthdate',
    );
    fails(
      requestWith((info) => {
        info.Birthdate = ['19600115'];
      }),
      'MSG_FIELD_INVALID',
    );
    fails(
      requestWith((info) => {
        info.Birthdate = null;
      }),
      'MSG_FIELD_INVALID',
    );
    fails(JSON.parse('{"XmlMsg":{"__proto__":{"polluted":"yes"}}}'), 'MSG_FIELD_INVALID', '__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('wants arrays exactly for repeated elements', () => {
    const json = JSON.parse(JSON.stringify(messageToJson(sampleConfirmResult)));
    const list = json.XmlMsg.MessageBody.ResultList;
    list.ResultOfQualificationConfirmation = list.ResultOfQualificationConfirmation[0];
    assert.throws(
      () => messageFromJson(json, qualificationConfirmResultSchema),
      (error: OnshiError) =>
        error.code === 'MSG_FIELD_INVALID' &&
        error.params.field === 'MessageBody/ResultList/ResultOfQualificationConfirmation',
    );
  });

  it('refuses missing required fields with their path', () => {
    fails(
      requestWith((info) => {
        delete info.Birthdate;
      }),
      'MSG_FIELD_REQUIRED',
      'MessageBody/QualificationConfirmSearchInfo/Birthdate',
    );
    fails(
      requestWith((info) => {
        info.Birthdate = '';
      }),
      'MSG_FIELD_REQUIRED',
    );
    const json = JSON.parse(JSON.stringify(messageToJson(sampleConfirmResult)));
    delete json.XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation[0].Name;
    assert.throws(
      () => messageFromJson(json, qualificationConfirmResultSchema),
      (error: OnshiError) =>
        error.code === 'MSG_FIELD_REQUIRED' &&
        error.params.field === 'MessageBody/ResultList/ResultOfQualificationConfirmation[1]/Name',
    );
  });

  it('treats an empty list like an empty element: the optional group around it is omitted', () => {
    const json = JSON.parse(JSON.stringify(messageToJson(sampleConfirmResult)));
    json.XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation = [];
    const message = messageFromJson(json, qualificationConfirmResultSchema);
    assert.equal(message.MessageBody.ResultList, undefined);
    const xml = messageToXml(sampleConfirmResult, qualificationConfirmResultSchema, { encoding: 'utf-8' });
    const emptyList = xml.replace(/<ResultList>.*<\/ResultList>/s, '<ResultList>\n</ResultList>');
    assert.equal(
      decodeMessage(emptyList, qualificationConfirmResultSchema).MessageBody.ResultList,
      undefined,
    );
  });
});
