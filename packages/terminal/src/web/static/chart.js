// Trend charts of 特定健診 items: an inline SVG per item, generated here (no library), with the
// reference range drawn as a band behind the line and one <circle> per examination.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

const WIDTH = 320;
const HEIGHT = 160;
const M = { left: 44, right: 12, top: 12, bottom: 28 };

/** Rounds a tick label to a sensible number of digits. */
function label(value) {
  const abs = Math.abs(value);
  return String(
    abs >= 100 ? Math.round(value) : abs >= 10 ? Math.round(value * 10) / 10 : Math.round(value * 100) / 100,
  );
}

/**
 * The scales of a series: x by examination date (evenly by time), y over the values and the range,
 * with some room above and below. Exported for the page's own use; pure.
 */
export function chartScales(series) {
  const values = series.points.map((p) => p.value);
  const bounds = [...values, series.low, series.high].filter((v) => typeof v === 'number');
  let min = Math.min(...bounds);
  let max = Math.max(...bounds);
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  const pad = (max - min) * 0.1;
  min -= pad;
  max += pad;
  const times = series.points.map((p) => Date.parse(`${p.date}T00:00:00Z`));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const innerW = WIDTH - M.left - M.right;
  const innerH = HEIGHT - M.top - M.bottom;
  const x = (date) => {
    if (first === last) return M.left + innerW / 2;
    return M.left + ((Date.parse(`${date}T00:00:00Z`) - first) / (last - first)) * innerW;
  };
  const y = (value) => M.top + (1 - (value - min) / (max - min)) * innerH;
  return { x, y, min, max };
}

/** `series`: { code, name, unit, low, high, points: [{ date, value, flag }] } (oldest first). */
export function trendChart(series, { title } = {}) {
  const { x, y, min, max } = chartScales(series);
  const bottom = HEIGHT - M.bottom;
  const children = [];
  children.push(svg('title', {}, title ?? series.name));
  // The reference range: a band between low and high (to the chart's edge when one bound is open).
  if (series.low !== undefined || series.high !== undefined) {
    const top = y(series.high ?? max);
    const base = y(series.low ?? min);
    children.push(
      svg('rect', {
        class: 'range-band',
        'data-testid': 'chart-range',
        'data-low': series.low,
        'data-high': series.high,
        x: M.left,
        y: top,
        width: WIDTH - M.left - M.right,
        height: Math.max(0, base - top),
      }),
    );
  }
  // Axes and their labels.
  children.push(svg('line', { class: 'axis', x1: M.left, y1: M.top, x2: M.left, y2: bottom }));
  children.push(svg('line', { class: 'axis', x1: M.left, y1: bottom, x2: WIDTH - M.right, y2: bottom }));
  for (const value of [min, max, series.low, series.high]) {
    if (typeof value !== 'number') continue;
    children.push(
      svg('text', { class: 'tick', x: M.left - 4, y: y(value) + 4, 'text-anchor': 'end' }, label(value)),
    );
  }
  const first = series.points[0];
  const last = series.points[series.points.length - 1];
  children.push(svg('text', { class: 'tick', x: M.left, y: HEIGHT - 8, 'text-anchor': 'start' }, first.date));
  if (last !== first) {
    children.push(
      svg('text', { class: 'tick', x: WIDTH - M.right, y: HEIGHT - 8, 'text-anchor': 'end' }, last.date),
    );
  }
  if (series.points.length > 1) {
    children.push(
      svg('polyline', {
        class: 'trend',
        points: series.points.map((p) => `${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '),
      }),
    );
  }
  for (const p of series.points) {
    children.push(
      svg(
        'circle',
        {
          class: `point ${p.flag ? `out-of-range ${p.flag}` : ''}`.trim(),
          'data-date': p.date,
          'data-value': p.value,
          'data-flag': p.flag ?? '',
          cx: x(p.date).toFixed(1),
          cy: y(p.value).toFixed(1),
          r: 4,
        },
        svg('title', {}, `${p.date}: ${p.value}${series.unit ? ` ${series.unit}` : ''}`),
      ),
    );
  }
  return svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      width: WIDTH,
      height: HEIGHT,
      role: 'img',
      'aria-label': title ?? series.name,
    },
    ...children,
  );
}
