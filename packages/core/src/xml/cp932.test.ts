import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnshiError } from '../errors.ts';
import { encodeCp932 } from './cp932.ts';

const decode = (bytes: Uint8Array) => new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('CP932 encoder', () => {
  it('writes ASCII, half-width katakana as single bytes, and JIS X 0208 as pairs', () => {
    assert.equal(hex(encodeCp932('A1 <')), '4131203c');
    assert.equal(hex(encodeCp932('ｼﾝﾘｮｳ ﾀﾛｳ')), 'bcddd8aeb320c0dbb3');
    assert.equal(hex(encodeCp932('｡ﾟ')), 'a1df');
    assert.equal(hex(encodeCp932('診療　太郎')), '906697c3814091be9859');
    assert.equal(hex(encodeCp932('ｱ')), 'b1');
  });

  it('chooses the WHATWG pointer where several byte pairs decode to the same character', () => {
    assert.equal(hex(encodeCp932('∵')), '81e6'); // not the NEC row 13 copy 0x879A or the IBM one 0xFA5B
    assert.equal(hex(encodeCp932('￢')), '81ca'); // not the IBM extension 0xEEF9 / 0xFA54
    assert.equal(hex(encodeCp932('Ⅰ')), '8754'); // NEC row 13, not the IBM extension 0xFA4A
    assert.equal(hex(encodeCp932('ⅰ')), 'fa40'); // NEC-selected 0xEEEF is never chosen
    assert.equal(hex(encodeCp932('髙')), 'fbfc'); // IBM extension, not the NEC-selected 0xEEE0
    assert.equal(hex(encodeCp932('－')), '817c');
  });

  it('maps ¥, ‾ and − as the WHATWG encoder does', () => {
    assert.equal(hex(encodeCp932('¥‾−')), '5c7e817c');
  });

  it('refuses what CP932 cannot represent', () => {
    for (const text of ['😀', '\u0080', '\ue000', 'ß', '\ud800', '鿿']) {
      assert.throws(
        () => encodeCp932(`ok${text}`),
        (error: OnshiError) => error.code === 'XML_CHARACTER_UNENCODABLE',
        JSON.stringify(text),
      );
    }
  });

  it('round-trips every character the decoder produces from a lead/trail pair', () => {
    let checked = 0;
    for (let lead = 0x81; lead <= 0xfc; lead++) {
      if (lead >= 0xa0 && lead <= 0xdf) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        if (trail === 0x7f) continue;
        let text: string;
        try {
          text = decode(Uint8Array.of(lead, trail));
        } catch {
          continue;
        }
        if (text.charCodeAt(0) >= 0xe000 && text.charCodeAt(0) <= 0xf8ff) continue; // user-defined area
        assert.equal(decode(encodeCp932(text)), text, `${lead.toString(16)}${trail.toString(16)}`);
        checked++;
      }
    }
    assert.ok(checked > 7000, `${checked}`);
  });
});
