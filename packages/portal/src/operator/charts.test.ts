import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffMediaType } from '../applications/uploads.ts';
import { barChartSvg, escapeXml, niceMax } from './charts.ts';

describe('barChartSvg', () => {
  it('draws one stacked rect per non-zero value with its figures, escaped', () => {
    const svg = barChartSvg({
      title: 'checks <by> method',
      labels: ['01-01', '01-02'],
      series: [
        { name: 'a&b', color: '#000', values: [3, 0] },
        { name: 'c', color: '#fff', values: [1, 2] },
      ],
    });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 3 + 2);
    assert.match(svg, /<title>01-01 a&amp;b: 3<\/title>/);
    assert.match(svg, /checks &lt;by&gt; method/);
    assert.doesNotMatch(svg, /no data/);
  });

  it('says so when there is no data', () => {
    assert.match(barChartSvg({ title: 't', labels: ['x'], series: [] }), /no data/);
  });

  it('rounds the axis up to 1, 2 or 5 × 10^n', () => {
    assert.deepEqual([0, 1, 3, 7, 12, 180, 501].map(niceMax), [1, 1, 5, 10, 20, 200, 1000]);
    assert.equal(escapeXml(`<"'&>`), '&lt;&quot;&apos;&amp;&gt;');
  });
});

describe('sniffMediaType', () => {
  it('decides by content, not by name', () => {
    assert.equal(sniffMediaType(Buffer.from('%PDF-1.7')), 'application/pdf');
    assert.equal(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'image/png');
    assert.equal(sniffMediaType(Buffer.from('GIF89a')), undefined);
    assert.equal(sniffMediaType(Buffer.from('')), undefined);
  });
});
