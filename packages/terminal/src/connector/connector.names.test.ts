import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isIgnoredName, parseRequestName, withExtension } from './connector.names.ts';

it('reads the §1.2 grammar and mirrors req → res', () => {
  assert.deepEqual(parseRequestName('OQSsiquc01req_202604010001.xml'), {
    kind: 'qualification',
    interfaceName: 'OQSsiquc01',
    resultName: 'OQSsiquc01res_202604010001.xml',
  });
  assert.equal(parseRequestName('OQSsiimm01req_X.xml').kind, 'referenceNumber');
  const kinds = {
    OQSmuquc01req_1: 'bulkQualification',
    OQSmuquc02req_1: 'bulkQualificationResult',
    OQSmuimm01req_1: 'bulkReferenceNumber',
    OQSmuimm02req_1: 'bulkReferenceNumberResult',
    YZKsiquc01req_1: 'medications',
    TKKsiquc01req_1: 'checkups',
    OQSmutic01req_1: 'notAvailable',
    CIPsiquc01req_1: 'notAvailable',
  };
  for (const [name, kind] of Object.entries(kinds))
    assert.equal(parseRequestName(`${name}.xml`).kind, kind, name);
  assert.equal(parseRequestName('OQSmuquc02req_A.xml').resultName, 'OQSmuquc02res_A.xml');
  assert.equal(parseRequestName('TKKsiquc01req_1.xml').resultName, 'TKKsiquc01res_1.xml');
  assert.equal(withExtension('YZKsiquc01res_1.xml', 'pdf'), 'YZKsiquc01res_1.pdf');
});

it('names outside the grammar still get a result name', () => {
  assert.deepEqual(parseRequestName('hello.xml'), {
    kind: 'unknownName',
    interfaceName: 'hello.xml',
    resultName: 'hello_res.xml',
  });
  assert.equal(parseRequestName('OQSsiquc01req_x.txt').resultName, 'OQSsiquc01res_x.txt');
  assert.equal(parseRequestName('OQSsiquc01req_.xml').kind, 'unknownName');
});

it('ignores names writers are still working on', () => {
  for (const name of ['.OQSsiquc01req_1.xml', '~$lock', 'OQSsiquc01req_1.xml.tmp', 'a.part']) {
    assert.ok(isIgnoredName(name), name);
  }
  assert.ok(!isIgnoredName('OQSsiquc01req_1.xml'));
});
