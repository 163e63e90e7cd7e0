import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { sampleConfirmRequest } from '../messages/samples.ts';
import { qualificationConfirmRequestSchema as schema } from '../messages/schemas.ts';
import { decodeMessage, messageToXml } from './codec.ts';

const valid = messageToXml(sampleConfirmRequest, schema, { encoding: 'utf-8' });
const body = valid.slice(valid.indexOf('<XmlMsg>'));
const utf8 = (text: string) => new TextEncoder().encode(text);

function rejects(
  input: string | Uint8Array,
  expected: string,
  options?: { maxBytes?: number; maxDepth?: number },
) {
  assert.throws(
    () => decodeMessage(input, schema, options),
    (error: OnshiError) => {
      assert.equal(error.code, expected, String(error));
      return true;
    },
  );
}

describe('hostile input', () => {
  it('refuses any DOCTYPE or entity declaration (XXE, billion laughs)', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE XmlMsg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${body.replace('4567', '&xxe;')}`;
    rejects(xxe, 'XML_DOCTYPE_FORBIDDEN');
    const laughs = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      `]>${body.replace('4567', '&lol9;')}`,
    ].join('');
    rejects(laughs, 'XML_DOCTYPE_FORBIDDEN');
    rejects(utf8(laughs), 'XML_DOCTYPE_FORBIDDEN');
    rejects(body.replace('<MessageBody>', '<MessageBody><!ENTITY x "y">'), 'XML_DOCTYPE_FORBIDDEN');
    rejects(`<!doctype XmlMsg>${body}`, 'XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses references to entities that XML does not predefine', () => {
    rejects(body.replace('4567', '&xxe;'), 'XML_MALFORMED');
    rejects(body.replace('4567', '&#0;'), 'XML_MALFORMED');
    rejects(body.replace('4567', '&#xD800;'), 'XML_MALFORMED');
    rejects(body.replace('4567', '& 4567'), 'XML_MALFORMED');
    rejects(body.replace('4567', '&#x110000;'), 'XML_MALFORMED');
  });

  it('refuses oversized input before decoding it', () => {
    const big = new Uint8Array(1024 * 1024 + 1).fill(0xff);
    rejects(big, 'XML_INPUT_TOO_LARGE');
    rejects(utf8(valid), 'XML_INPUT_TOO_LARGE', { maxBytes: 100 });
    rejects(valid, 'XML_INPUT_TOO_LARGE', { maxBytes: 100 });
  });

  it('refuses bytes that are not valid in the declared encoding', () => {
    const bytes = utf8(valid);
    const at = valid.indexOf('4567');
    const badUtf8 = Uint8Array.from(bytes);
    badUtf8[at] = 0xff;
    rejects(badUtf8, 'XML_ENCODING_INVALID_BYTES');
    const overlong = Uint8Array.from([...bytes.subarray(0, at), 0xc0, 0xbc, ...bytes.subarray(at)]);
    rejects(overlong, 'XML_ENCODING_INVALID_BYTES');
    const sjis = utf8(valid.replace('UTF-8', 'Shift_JIS'));
    const badSjis = Uint8Array.from([...sjis.subarray(0, at + 4), 0x81, 0x20, ...sjis.subarray(at + 4)]);
    rejects(badSjis, 'XML_ENCODING_INVALID_BYTES');
    const truncatedSjis = Uint8Array.from([...sjis, 0x82]);
    rejects(truncatedSjis, 'XML_ENCODING_INVALID_BYTES');
  });

  it('refuses unknown encodings, UTF-16 and a byte-order mark that contradicts the declaration', () => {
    rejects(utf8(valid.replace('UTF-8', 'EUC-JP')), 'XML_ENCODING_UNSUPPORTED');
    rejects(utf8(valid.replace('UTF-8', 'ISO-2022-JP')), 'XML_ENCODING_UNSUPPORTED');
    rejects(Uint8Array.from([0xff, 0xfe, 0x3c, 0x00]), 'XML_ENCODING_UNSUPPORTED');
    rejects(
      Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(valid.replace('UTF-8', 'Shift_JIS'))]),
      'XML_MALFORMED',
    );
  });

  it('refuses truncated documents at every length', () => {
    const bytes = utf8(valid);
    for (let length = 0; length < bytes.length - 1; length++) {
      assert.throws(
        () => decodeMessage(bytes.subarray(0, length), schema),
        (error: OnshiError) =>
          ['XML_MALFORMED', 'MSG_FIELD_REQUIRED', 'XML_ENCODING_INVALID_BYTES'].includes(error.code),
        `length ${length}`,
      );
    }
  });

  it('refuses malformed markup', () => {
    const cases: [string, string][] = [
      ['mismatched end tag', body.replace('</Birthdate>', '</BirthDate>')],
      ['unclosed element', body.replace('</MessageBody>', '')],
      ['stray <', body.replace('4567', '45<67')],
      ['stray < in a group', body.replace('<MessageBody>', '<MessageBody>< ')],
      ['text after the root', `${body}junk`],
      ['text before the root', `junk${body}`],
      ['second root', `${body}<XmlMsg/>`],
      ['attribute without quotes', body.replace('<MessageBody>', '<MessageBody a=1>')],
      ['attribute without value', body.replace('<MessageBody>', '<MessageBody a>')],
      ['duplicate attribute', body.replace('<MessageBody>', '<MessageBody a="1" a="2">')],
      ['< in attribute', body.replace('<MessageBody>', '<MessageBody a="<">')],
      ['attributes without space', body.replace('<MessageBody>', '<MessageBody a="1"b="2">')],
      ['bad name', body.replace('<MessageBody>', '<MessageBody><1a/>')],
      ['unclosed comment', body.replace('<MessageBody>', '<MessageBody><!-- ')],
      ['-- in comment', body.replace('<MessageBody>', '<MessageBody><!-- a -- b -->')],
      ['unclosed CDATA', body.replace('4567', '<![CDATA[4567')],
      ['bad <!', body.replace('<MessageBody>', '<MessageBody><!FOO>')],
      ['declaration not first', ` ${valid}`],
      ['bad declaration', valid.replace('version="1.0"', 'version="2.0"')],
      ['bad standalone', valid.replace('standalone="no"', 'standalone="maybe"')],
      ['control character', body.replace('4567', '45\u000167')],
      ['lone surrogate in a string', body.replace('4567', '45\ud800')],
      ['unknown element not closed', body.replace('<MessageBody>', '<MessageBody><Foo><Bar></Foo>')],
      ['empty document', ''],
    ];
    for (const [what, xml] of cases) {
      assert.throws(
        () => decodeMessage(xml, schema),
        (error: OnshiError) => error.code === 'XML_MALFORMED',
        what,
      );
    }
  });

  it('refuses a wrong root element', () => {
    rejects(body.replaceAll('XmlMsg', 'Message'), 'XML_ROOT_UNEXPECTED');
  });

  it('bounds nesting depth, also inside skipped elements', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    rejects(body.replace('<MessageBody>', `<MessageBody>${deep}`), 'XML_MALFORMED');
    const nested = body.replace('<MessageBody>', `<MessageBody>${'<a>'.repeat(5)}${'</a>'.repeat(5)}`);
    rejects(nested, 'XML_MALFORMED', { maxDepth: 6 });
    assert.ok(decodeMessage(nested, schema, { maxDepth: 8 }));
  });

  it('stays linear on long runs of markup', () => {
    const many = body.replace('<MessageBody>', `<MessageBody>${'<Unknown x="1"/>'.repeat(50_000)}`);
    const started = performance.now();
    assert.ok(decodeMessage(many, schema));
    assert.ok(performance.now() - started < 2000);
  });
});
