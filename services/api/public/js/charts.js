// Inline SVG charts: horizontal stacked bars and a multi-line time series. No library, no canvas.
import { el } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
export const COLORS = {
  delivered: '#1a7f37',
  sent: '#54aeff',
  failed: '#cf222e',
  suppressed: '#bf8700',
  dead_lettered: '#8250df',
  p50: '#2f6feb',
  p95: '#bf8700',
  p99: '#cf222e',
};

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function legend(keys) {
  return el('div', { class: 'legend' }, ...keys.map((k) => el('span', {}, el('i', { style: `background:${COLORS[k] ?? '#94a3b8'}` }), k)));
}

const empty = (text) => el('div', { class: 'empty' }, text);

/** rows: [{ label, parts: { key: number } }] as one stacked bar each. */
export function stackedBars(container, rows, keys) {
  if (rows.length === 0) return container.replaceChildren(empty('No outcomes in this window.'));
  const width = 520,
    labelW = 130,
    barH = 22,
    gap = 10,
    height = rows.length * (barH + gap) + 10;
  const max = Math.max(1, ...rows.map((r) => keys.reduce((s, k) => s + (r.parts[k] ?? 0), 0)));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'bar chart' });
  rows.forEach((r, i) => {
    const y = 5 + i * (barH + gap);
    chart.append(svg('text', { x: 0, y: y + barH / 2 + 4, 'data-label': r.label }, r.label));
    let x = labelW;
    for (const k of keys) {
      const v = r.parts[k] ?? 0;
      if (!v) continue;
      const w = ((width - labelW - 50) * v) / max;
      chart.append(
        svg(
          'rect',
          { x, y, width: Math.max(w, 1), height: barH, fill: COLORS[k] ?? '#94a3b8', 'data-key': k, 'data-value': v },
          svg('title', {}, `${r.label} ${k}: ${v}`),
        ),
      );
      x += w;
    }
    const total = keys.reduce((s, k) => s + (r.parts[k] ?? 0), 0);
    chart.append(svg('text', { x: x + 6, y: y + barH / 2 + 4 }, total));
  });
  container.replaceChildren(chart, legend(keys.filter((k) => rows.some((r) => r.parts[k]))));
}

/** points: [{ t: Date, values: { key: number } }] drawn as one line per key. */
export function lines(container, points, keys, unit) {
  if (points.length === 0) return container.replaceChildren(empty('No deliveries in this window.'));
  const width = 1040,
    height = 240,
    left = 56,
    right = 16,
    top = 12,
    bottom = 28;
  const t0 = Math.min(...points.map((p) => p.t.getTime())),
    t1 = Math.max(...points.map((p) => p.t.getTime()));
  const vmax = Math.max(1, ...points.flatMap((p) => keys.map((k) => p.values[k] ?? 0)));
  const x = (t) => left + (t1 === t0 ? (width - left - right) / 2 : ((t - t0) / (t1 - t0)) * (width - left - right));
  const y = (v) => top + (1 - v / vmax) * (height - top - bottom);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'line chart' });
  chart.append(
    svg('line', { class: 'axis', x1: left, y1: y(0), x2: width - right, y2: y(0) }),
    svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: y(0) }),
  );
  for (const f of [0, 0.5, 1]) chart.append(svg('text', { x: 4, y: y(vmax * f) + 4 }, `${Math.round(vmax * f)} ${unit}`));
  for (const t of [t0, t1])
    chart.append(
      svg(
        'text',
        { x: Math.min(x(t), width - 60), y: height - 8 },
        new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
      ),
    );
  for (const k of keys) {
    const pts = points.filter((p) => p.values[k] !== undefined).map((p) => `${x(p.t.getTime()).toFixed(1)},${y(p.values[k]).toFixed(1)}`);
    chart.append(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: COLORS[k], 'stroke-width': 2, 'data-key': k }));
    for (const p of points)
      if (p.values[k] !== undefined)
        chart.append(
          svg(
            'circle',
            { cx: x(p.t.getTime()), cy: y(p.values[k]), r: 3, fill: COLORS[k] },
            svg('title', {}, `${k}: ${p.values[k]} ${unit}`),
          ),
        );
  }
  container.replaceChildren(chart, legend(keys));
}
