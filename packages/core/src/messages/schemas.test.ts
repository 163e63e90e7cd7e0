import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineMessage, group, text } from '../xml/schema.ts';
import {
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationRequestSchema,
  referenceNumberRegistrationResultSchema,
} from './schemas.ts';
import type { QualificationConfirmRequest } from './types.ts';

describe('message schemas', () => {
  it('carry their interface ids and the XmlMsg root', () => {
    const schemas = [
      qualificationConfirmRequestSchema,
      qualificationConfirmResultSchema,
      referenceNumberRegistrationRequestSchema,
      referenceNumberRegistrationResultSchema,
    ];
    assert.deepEqual(
      schemas.map((s) => s.id),
      ['OQS-IF-001', 'OQS-IF-002', 'OQS-IF-003', 'OQS-IF-004'],
    );
    for (const schema of schemas) {
      assert.equal(schema.root.name, 'XmlMsg');
      assert.deepEqual(
        schema.root.children.map((c) => c.name),
        ['MessageHeader', 'MessageBody'],
      );
    }
  });

  it('stay in step with the message types (checked by tsc: each line below must not compile)', () => {
    const info = {
      InsurerNumber: text({ required: true }),
      InsuredCardSymbol: text(),
      InsuredIdentificationNumber: text({ required: true }),
      InsuredBranchNumber: text(),
      Birthdate: text({ required: true }),
      LimitApplicationCertificateRelatedConsFlg: text({ required: true }),
      ArbitraryIdentifier: text(),
    };
    const header = group(
      {
        QualificationConfirmationDate: text({ required: true }),
        MedicalInstitutionCode: text({ required: true }),
      },
      { required: true },
    );
    const define = defineMessage<QualificationConfirmRequest>();
    const right = define('x', 'x', {
      MessageHeader: group({ ...header.children, ArbitraryFileIdentifier: text() }, { required: true }),
      MessageBody: group(
        { QualificationConfirmSearchInfo: group(info, { required: true }) },
        { required: true },
      ),
    });
    assert.equal(right.root.children.length, 2);
    // @ts-expect-error ArbitraryFileIdentifier is missing from the header
    define('x', 'x', {
      MessageHeader: header,
      MessageBody: group(
        { QualificationConfirmSearchInfo: group(info, { required: true }) },
        { required: true },
      ),
    });
    // @ts-expect-error Birthdate made optional
    define('x', 'x', {
      MessageHeader: group({ ...header.children, ArbitraryFileIdentifier: text() }, { required: true }),
      MessageBody: group(
        { QualificationConfirmSearchInfo: group({ ...info, Birthdate: text() }, { required: true }) },
        { required: true },
      ),
    });
  });
});
