import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { encodeCp932 } from './cp932.ts';
import { attributeValue, childElements, parseXmlTree } from './tree.ts';

const HL7 = 'urn:hl7-org:v3';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function rejects(input: string | Uint8Array, code: string): OnshiError {
  let caught: OnshiError | undefined;
  assert.throws(
    () => parseXmlTree(input),
    (error: OnshiError) => {
      assert.equal(error.code, code, String(error));
      caught = error;
      return true;
    },
  );
  return caught!;
}

describe('generic XML tree', () => {
  it('reads elements, attributes with namespaces, text and lines', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- a comment -->',
      `<ClinicalDocument xmlns="${HL7}" xmlns:xsi="${XSI}">`,
      '  <title>特定健診&amp;情報</title>',
      '  <value xsi:type="PQ" value="170.2" unit="cm"/>',
      '  <note><![CDATA[a<b]]> &#x3042;</note>',
      '</ClinicalDocument>',
    ].join('\r\n');
    const tree = parseXmlTree(new TextEncoder().encode(xml));
    const root = tree.root;
    assert.equal(root.localName, 'ClinicalDocument');
    assert.equal(root.namespace, HL7);
    assert.deepEqual(
      root.children.map((c) => c.localName),
      ['title', 'value', 'note'],
    );
    assert.equal(childElements(root, 'title', HL7)[0]?.text, '特定健診&情報');
    const value = childElements(root, 'value', HL7)[0]!;
    assert.equal(attributeValue(value, 'type', XSI), 'PQ');
    assert.equal(attributeValue(value, 'value'), '170.2');
    assert.equal(attributeValue(value, 'type'), undefined, 'xsi:type is not the unprefixed type');
    assert.equal(childElements(root, 'note', HL7)[0]?.text, 'a<b あ');
    assert.equal(tree.lineOf(value.offset), 5);
  });

  it('decodes Shift_JIS documents as declared', () => {
    const xml = '<?xml version="1.0" encoding="Shift_JIS"?><a x="身長">体重</a>';
    const tree = parseXmlTree(encodeCp932(xml));
    assert.equal(tree.root.text, '体重');
    assert.equal(attributeValue(tree.root, 'x'), '身長');
  });

  it('refuses DOCTYPE and entity declarations', () => {
    rejects('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', 'XML_DOCTYPE_FORBIDDEN');
    rejects('<a><!ENTITY x "y"></a>', 'XML_DOCTYPE_FORBIDDEN');
    rejects('<a>&x;</a>', 'XML_MALFORMED');
  });

  it('refuses malformed documents with the offset of the fault', () => {
    const error = rejects('<a>\n<b></a>', 'XML_MALFORMED');
    assert.equal(error.params.offset, 7);
    rejects('<a x="1" x="2"/>', 'XML_MALFORMED');
    rejects('<p:a/>', 'XML_MALFORMED');
    rejects('<a/><b/>', 'XML_MALFORMED');
    rejects('<a>\u0001</a>', 'XML_MALFORMED');
    rejects('', 'XML_MALFORMED');
  });

  it('refuses invalid bytes, too deep nesting and too large input', () => {
    rejects(Uint8Array.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]), 'XML_ENCODING_INVALID_BYTES');
    rejects(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`, 'XML_MALFORMED');
    assert.throws(
      () => parseXmlTree('<a/>', { maxBytes: 3 }),
      (error: OnshiError) => error.code === 'XML_INPUT_TOO_LARGE',
    );
  });
});
