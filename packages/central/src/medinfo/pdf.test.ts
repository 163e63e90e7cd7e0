import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectPdf } from './pdf.inspect.ts';
import { layoutReport, type Report, reportPdf } from './pdf.report.ts';
import { fitText, textWidth, utf16Hex, writePdf } from './pdf.writer.ts';

const createdAt = new Date('2024-06-01T01:02:03Z');

describe('PDF writer', () => {
  it('writes pages whose xref, trailer and page tree are consistent, and whose text decodes back', () => {
    const pdf = writePdf(
      [
        { texts: [{ x: 40, y: 800, size: 12, text: '薬剤情報　ｼﾝﾘｮｳ ﾀﾛｳ ABC 123' }] },
        {
          texts: [{ x: 40, y: 800, size: 9, text: '𠮷野家の検査値（ＨｂＡ１ｃ）' }],
          lines: [{ x1: 40, y1: 790, x2: 500, y2: 790 }],
          rects: [{ x: 40, y: 700, width: 100, height: 12, gray: 0.9 }],
        },
      ],
      { title: '薬剤情報', createdAt },
    );
    const inspected = inspectPdf(pdf);
    assert.equal(inspected.version, '1.7');
    assert.equal(inspected.pageCount, 2);
    assert.deepEqual(inspected.pageTexts, [
      ['薬剤情報　ｼﾝﾘｮｳ ﾀﾛｳ ABC 123'],
      ['𠮷野家の検査値（ＨｂＡ１ｃ）'],
    ]);
    assert.match(inspected.trailer, /\/Info \d+ 0 R/);
    const all = [...inspected.objects.values()].join('\n');
    assert.match(
      all,
      /\/Subtype \/Type0 \/BaseFont \/KozMinPr6N-Regular-UniJIS-UTF16-H \/Encoding \/UniJIS-UTF16-H/,
    );
    assert.match(all, /\/Subtype \/CIDFontType0 \/BaseFont \/KozMinPr6N-Regular/);
    assert.match(all, /\/CIDSystemInfo << \/Registry \(Adobe\) \/Ordering \(Japan1\) \/Supplement 6 >>/);
    assert.ok(!all.includes('/FontFile'), 'the font is not embedded');
    // The surrogate pair of 𠮷 gets its own ToUnicode entry; the title is UTF-16BE with a BOM.
    assert.ok(all.includes(`<${utf16Hex('𠮷')}> <${utf16Hex('𠮷')}>`));
    assert.ok(all.includes(`/Title <FEFF${utf16Hex('薬剤情報')}>`));
    assert.ok(all.includes("/CreationDate (D:20240601100203+09'00')"));
    assert.ok(all.includes('0.5 w 40 790 m 500 790 l S'));
  });

  it('detects a wrong xref offset (the inspection can fail)', () => {
    const pdf = Buffer.from(writePdf([{ texts: [{ x: 1, y: 1, size: 9, text: 'あ' }] }], { createdAt }));
    const text = pdf.toString('latin1');
    const broken = text.replace(/\n(\d{10}) 00000 n \n/, (_, o: string) => {
      return `\n${String(Number(o) + 1).padStart(10, '0')} 00000 n \n`;
    });
    assert.notEqual(broken, text);
    assert.throws(() => inspectPdf(Buffer.from(broken, 'latin1')), /is not "\d+ 0 obj"/);
    assert.throws(() => writePdf([], { createdAt }));
  });

  it('measures half-width characters as half an em and cuts text to fit with an ellipsis', () => {
    assert.equal(textWidth('ab', 10), 10);
    assert.equal(textWidth('ｱｲ', 10), 10);
    assert.equal(textWidth('あい', 10), 20);
    assert.equal(fitText('あいうえお', 50, 10), 'あいうえお');
    assert.equal(fitText('あいうえおか', 50, 10), 'あいうえ…');
    assert.ok(textWidth(fitText('アムロジピン錠５ｍｇ「オンシ」', 60, 8), 8) <= 60);
  });
});

describe('PDF report layout', () => {
  const report = (rows: number): Report => ({
    title: '特定健診情報',
    header: ['医療機関コード 1311234567　作成 2024年06月01日', '氏名 診療　太郎'],
    sections: [
      {
        heading: '実施日 2023年06月12日',
        columns: [
          { title: '項目名', width: 200 },
          { title: '結果', width: 80, align: 'right' },
        ],
        rows: Array.from({ length: rows }, (_, i) => [`項目${i + 1}`, String(i)]),
      },
    ],
    empty: '該当する情報はありません。',
    createdAt,
  });

  it('breaks a long table over pages, repeating the header, heading and column titles', () => {
    const pages = layoutReport(report(130));
    assert.equal(pages.length, 3);
    const texts = pages.map((p) => p.texts.map((t) => t.text));
    for (const [i, page] of texts.entries()) {
      assert.equal(page[0], '特定健診情報');
      assert.ok(page.includes('氏名 診療　太郎'));
      assert.ok(page.includes('項目名'));
      assert.ok(page.includes(i === 0 ? '実施日 2023年06月12日' : '実施日 2023年06月12日（続き）'));
      assert.equal(page.at(-1), `${i + 1} / 3`);
    }
    const items = texts.flat().filter((t) => t.startsWith('項目') && t !== '項目名');
    assert.equal(items.length, 130, 'every row once');
    for (const page of pages)
      for (const t of page.texts) assert.ok(t.y >= 20 && t.y <= 842, `${t.text} on the page`);
    assert.equal(inspectPdf(reportPdf(report(130))).pageCount, 3);
  });

  it('prints the empty text when there is nothing', () => {
    const texts = inspectPdf(reportPdf({ ...report(0), sections: [] })).pageTexts;
    assert.deepEqual(texts.length, 1);
    assert.ok(texts[0]!.includes('該当する情報はありません。'));
  });
});
