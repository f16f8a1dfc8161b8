// A small uPlot line chart for the challenges, coloured from the theme's CSS variables,
// resized with its box and redrawn when the theme changes. The chart itself is hidden from
// screen readers: every chart here has a table or sentences beside it.
import { h } from '../dom.js';

const COLOURS = ['--c1', '--c2', '--c3', '--c4', '--c5', '--m-false', '--m-drain'];

// series: [{ label, colour (CSS var name), dash, scale, width, bars, points }]
// scales: uPlot scales besides x; axes: [{ scale, label, side }] for the y axes.
export function linePlot(
  box,
  { title, xLabel, series, scales = {}, axes = [{ scale: 'y', label: '' }], height = 220, xValues },
) {
  const el = h('div', { class: 'chart challenge-chart', 'aria-hidden': 'true' });
  box.append(el);
  let plot = null;
  let data = null;

  function build() {
    plot?.destroy();
    plot = null;
    if (!data || !window.uPlot) return;
    const css = getComputedStyle(el);
    const v = (name) => css.getPropertyValue(name).trim();
    const axis = {
      stroke: v('--fg-muted'),
      grid: { stroke: v('--grid'), width: 1 },
      ticks: { stroke: v('--grid'), width: 1 },
    };
    plot = new window.uPlot(
      {
        title,
        width: Math.max(240, Math.floor(el.clientWidth || box.clientWidth || 600)),
        height,
        scales: { x: { time: false }, ...scales },
        axes: [
          { ...axis, label: xLabel, labelSize: 20, ...(xValues ? { values: xValues } : {}) },
          ...axes.map((a, k) => ({
            ...axis,
            scale: a.scale,
            label: a.label,
            labelSize: 20,
            size: 64,
            side: a.side ?? 3,
            values: a.values,
            ...(k ? { grid: { show: false } } : {}),
          })),
        ],
        series: [
          // The legend names the x value as the axis does (a sweep's hwm, not its index).
          { label: xLabel, ...(xValues ? { value: (u, x) => (x == null ? '' : xValues(u, [x])[0]) } : {}) },
          ...series.map((s, k) => ({
            label: s.label,
            scale: s.scale ?? 'y',
            stroke: v(s.colour ?? COLOURS[k % COLOURS.length]),
            width: s.width ?? 2,
            dash: s.dash,
            spanGaps: false,
            points: { show: s.points ?? false, size: 7 },
            ...(s.bars
              ? {
                  paths: window.uPlot.paths.bars({ size: [0.5, 60] }),
                  fill: v(s.colour ?? COLOURS[k % COLOURS.length]),
                }
              : {}),
          })),
        ],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    // The legend shows the last values until something is hovered (not "--").
    const shown = plot;
    requestAnimationFrame(() => {
      const n = shown.data?.[0]?.length ?? 0;
      if (n && shown === plot) shown.setLegend({ idx: n - 1 });
    });
  }

  const resize = new ResizeObserver(() => {
    if (plot && Math.abs(plot.width - el.clientWidth) > 2)
      plot.setSize({ width: Math.max(240, el.clientWidth), height });
  });
  resize.observe(el);
  const onTheme = () => build();
  document.addEventListener('streamlab:theme', onTheme);

  return {
    el,
    setData(next) {
      data = next;
      build();
    },
    destroy() {
      resize.disconnect();
      document.removeEventListener('streamlab:theme', onTheme);
      plot?.destroy();
      el.remove();
    },
  };
}

// A table (in a details element) as the text alternative of a chart. rows: arrays of cells.
export function dataTable(caption, head, rows, { open = false, max = 200 } = {}) {
  const step = Math.max(1, Math.ceil(rows.length / max));
  const shown = rows.filter((_, k) => k % step === 0 || k === rows.length - 1);
  return h(
    'details',
    { class: 'chart-alt', open },
    h('summary', {}, `${caption} as a table`),
    h(
      'div',
      { class: 'table-wrap', tabindex: '0' },
      h(
        'table',
        { class: 'data-table' },
        h('caption', {}, step > 1 ? `${caption} (every ${step}th row)` : caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            head.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          shown.map((r) =>
            h(
              'tr',
              {},
              r.map((c, k) => (k ? h('td', {}, c) : h('th', { scope: 'row' }, c))),
            ),
          ),
        ),
      ),
    ),
  );
}
