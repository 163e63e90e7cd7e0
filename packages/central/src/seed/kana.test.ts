import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHalfWidthKana, toFullWidthDigits, toHalfWidthKana } from './kana.ts';

test('toHalfWidthKana: plain, voiced, semi-voiced, small kana, long vowel, space', () => {
  assert.equal(toHalfWidthKana('ヤマダ\u3000タロウ'), 'ﾔﾏﾀﾞ ﾀﾛｳ');
  assert.equal(toHalfWidthKana('ショウタ'), 'ｼｮｳﾀ');
  assert.equal(toHalfWidthKana('パーク・ヴォ'), 'ﾊﾟｰｸ・ｳﾞｫ');
  assert.equal(toHalfWidthKana('ミヅキ'), 'ﾐﾂﾞｷ');
});

test('isHalfWidthKana: words of half-width katakana separated by one space', () => {
  assert.ok(isHalfWidthKana('ﾔﾏﾀﾞ ﾀﾛｳ'));
  assert.ok(!isHalfWidthKana('ヤマダ ﾀﾛｳ'));
  assert.ok(!isHalfWidthKana('ﾔﾏﾀﾞ  ﾀﾛｳ'));
  assert.ok(!isHalfWidthKana('ﾔﾏﾀﾞ\u3000ﾀﾛｳ'));
});

test('toFullWidthDigits', () => {
  assert.equal(toFullWidthDigits(1207), '１２０７');
});
