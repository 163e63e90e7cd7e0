import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isIgnoredName, parseRequestName } from './connector.names.ts';

it('reads the §1.2 grammar and mirrors req → res', () => {
  assert.deepEqual(parseRequestName('OQSsiquc01req_202604010001.xml'), {
    kind: 'qualification',
    interfaceName: 'OQSsiquc01',
    resultName: 'OQSsiquc01res_202604010001.xml',
  });
  assert.equal(parseRequestName('OQSsiimm01req_X.xml').kind, 'referenceNumber');
  for (const name of [
    'OQSmuquc01req_1.xml',
    'OQSmuquc02req_1.xml',
    'OQSmuimm01req_1.xml',
    'YZKsiquc01req_1.xml',
  ]) {
    assert.equal(parseRequestName(name).kind, 'notAvailable', name);
  }
  assert.equal(parseRequestName('TKKsiquc01req_1.xml').resultName, 'TKKsiquc01res_1.xml');
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
