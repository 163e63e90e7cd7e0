import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { sampleConfirmRequest, sampleConfirmResult, sampleFaceResultXml } from '../messages/samples.ts';
import { qualificationConfirmRequestSchema, qualificationConfirmResultSchema } from '../messages/schemas.ts';
import { decodeMessage, encodeMessage, messageToXml } from './codec.ts';
import { characterCodeFor } from './encoding.ts';

function code(expected: string) {
  return (error: unknown) => {
    assert.equal((error as OnshiError).code, expected, String(error));
    return true;
  };
}

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
