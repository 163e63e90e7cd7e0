import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { detectEncoding, encodingFromLabel, parseDeclaration } from './encoding.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('encodings', () => {
  it('maps the labels clients write to UTF-8 or CP932', () => {
    for (const label of ['UTF-8', 'utf8']) assert.equal(encodingFromLabel(label), 'utf-8');
    for (const label of ['Shift_JIS', 'shift-jis', 'SJIS', 'windows-31j', 'CP932', 'ms932']) {
      assert.equal(encodingFromLabel(label), 'shift_jis', label);
    }
    assert.throws(
      () => encodingFromLabel('EUC-JP'),
      (error: OnshiError) => error.code === 'XML_ENCODING_UNSUPPORTED',
    );
  });

  it('detects the encoding from the declaration, a byte-order mark, or defaults to UTF-8', () => {
    assert.equal(detectEncoding(bytes('<XmlMsg/>')), 'utf-8');
    assert.equal(detectEncoding(bytes('<?xml version="1.0"?><XmlMsg/>')), 'utf-8');
    assert.equal(
      detectEncoding(bytes("<?xml version='1.0' encoding='Shift_JIS' standalone='no'?>")),
      'shift_jis',
    );
    assert.equal(detectEncoding(bytes('<?xml  version = "1.0"\n encoding = "cp932" ?>')), 'shift_jis');
    assert.equal(detectEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes('<XmlMsg/>'))), 'utf-8');
  });

  it('parses the declaration strictly', () => {
    const ok = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';
    assert.deepEqual(parseDeclaration(`${ok}<a/>`, 0), { end: ok.length, encoding: 'UTF-8' });
    for (const bad of [
      '<?xml encoding="UTF-8"?>',
      '<?xml version="1.0" standalone="no" encoding="UTF-8"?>',
      '<?xml version="1.0"encoding="UTF-8"?>',
      '<?xml version="1.0" encoding="UTF-8\'?>',
      '<?xml version="1.0" encoding="UTF-8" standalone="no"',
      '<?xml version="1.0" foo="bar"?>',
    ]) {
      assert.throws(
        () => parseDeclaration(bad, 0),
        (error: OnshiError) => error.code === 'XML_MALFORMED',
        bad,
      );
    }
  });
});
