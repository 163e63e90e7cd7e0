/**
 * SVG charts drawn here (no library): a stacked bar chart with axis, gridlines, legend and a
 * <title> per bar for the exact figures. Pure; every text is escaped.
 */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface BarChart {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** A round axis maximum ≥ `max` (1, 2, 5 × 10^n). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export function barChartSvg(chart: BarChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 260;
  const left = 56;
  const right = 12;
  const top = 34;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, chart.labels.length);
  const totals = chart.labels.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.7);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
  }
  const every = Math.ceil(n / 12);
  chart.labels.forEach((label, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const s of chart.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        const y1 = y(base + v);
        const h = y(base) - y1;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${escapeXml(s.color)}"><title>${escapeXml(`${label} ${s.name}: ${v}`)}</title></rect>`,
        );
      }
      base += v;
    }
    if (i % every === 0) {
      parts.push(
        `<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${escapeXml(label)}</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
  );
  let lx = left;
  for (const s of chart.series) {
    parts.push(`<rect x="${lx}" y="${height - 16}" width="10" height="10" fill="${escapeXml(s.color)}"/>`);
    parts.push(`<text x="${lx + 14}" y="${height - 7}">${escapeXml(s.name)}</text>`);
    lx += 24 + s.name.length * 11;
  }
  if (totals.every((t) => t === 0)) {
    parts.push(
      `<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#888">データなし / no data</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
