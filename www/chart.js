// The two uPlot charts of an experiment: buffered amount per stream (with each
// highWaterMark as a dashed line and markers for write() → false, pause, resume and drain),
// and the running counts of _read(), write(), _write() and 'drain'. Both share a cursor, so
// hovering one shows the same moment in the other and in the timeline.
import { h } from './dom.js';
import { MARKERS, COUNTS } from './recorder.js';

const uPlot = () => window.uPlot;

// Colours come from the theme's CSS variables so both themes stay legible.
function palette(el) {
  const css = getComputedStyle(el);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    axis: v('--fg-muted'),
    grid: v('--grid'),
    streams: [v('--c1'), v('--c2'), v('--c3'), v('--c4'), v('--c5')],
    markers: { writeFalse: v('--m-false'), pause: v('--m-pause'), resume: v('--m-resume'), drain: v('--m-drain') },
    counts: [v('--c1'), v('--c2'), v('--c3'), v('--m-drain')],
  };
}

function axes(p, yLabel, xLabel) {
  const axis = { stroke: p.axis, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 } };
  return [
    { ...axis, label: xLabel, labelSize: 20 },
    { ...axis, label: yLabel, labelSize: 20, size: 56 },
  ];
}

export class Charts {
  // onHover(i | null): the cursor moved to event i; yUnit(): what the buffers count.
  constructor(container, { syncKey, onHover, yUnit }) {
    this.container = container;
    this.syncKey = syncKey;
    this.onHover = onHover;
    this.yUnit = yUnit;
    this.xMode = 'time';
    this.yMax = null;
    this.recorder = null;
    this.bufferedBox = h('div', { class: 'chart chart-buffered', 'aria-hidden': 'true' });
    this.countsBox = h('div', { class: 'chart chart-counts', 'aria-hidden': 'true' });
    container.append(this.bufferedBox, this.countsBox);
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(container);
    // Only a pointer over the charts is a hover; uPlot also re-fires its cursor hook when data
    // changes, and that must not move the selection.
    this.pointerInside = false;
    container.addEventListener('pointerenter', () => {
      this.pointerInside = true;
    });
    container.addEventListener('pointerleave', () => {
      this.pointerInside = false;
    });
    this.onTheme = () => this.build();
    document.addEventListener('streamlab:theme', this.onTheme);
  }

  // A new run: rebuild both plots for its streams.
  setRecorder(recorder) {
    this.recorder = recorder;
    this.build();
  }

  setXMode(mode) {
    this.xMode = mode;
    this.build();
  }

  // Shared y range for side-by-side runs (null: each chart fits its own data).
  setYMax(max) {
    this.yMax = max;
    this.build();
  }

  width() {
    return Math.max(240, Math.floor(this.container.clientWidth));
  }

  build() {
    this.destroyPlots();
    const rec = this.recorder;
    if (!rec) return;
    const p = palette(this.container);
    const xLabel = this.xMode === 'time' ? 'virtual time (ms)' : 'trace event #';
    // Event by event, the virtual time of the events under each tick is shown on top, so a
    // burst inside one millisecond is spread out and time is still readable.
    const topAxis =
      this.xMode === 'time'
        ? []
        : [
            {
              scale: 'x',
              side: 0,
              stroke: p.axis,
              grid: { show: false },
              ticks: { stroke: p.grid, width: 1 },
              label: 'virtual time (ms)',
              labelSize: 20,
              size: 30,
              values: (_u, splits) =>
                splits.map((v) => {
                  return Number.isInteger(v) && v >= 0 && v < rec.length ? `${rec.t[v]}` : '';
                }),
            },
          ];
    const cursor = {
      sync: { key: this.syncKey },
      points: { size: 7 },
      y: false, // a horizontal crosshair would suggest a value that no stream has
      drag: { x: false, y: false },
    };
    const hooks = { setCursor: [(u) => this.hovered(u)] };
    const series = [{ label: xLabel, value: (_u, v) => (v == null ? '' : String(v)) }];
    rec.streams.forEach((s, k) => {
      series.push({
        label: `${s} buffered`,
        stroke: p.streams[k % p.streams.length],
        width: 2,
        paths: uPlot().paths.stepped({ align: 1 }),
        points: { show: false },
      });
    });
    this.hwms = rec.hwmLines();
    for (const line of this.hwms) {
      const k = rec.streams.indexOf(line.stream);
      series.push({
        label: line.label,
        stroke: p.streams[k % p.streams.length],
        width: 1,
        dash: [6, 5],
        points: { show: false },
      });
    }
    for (const m of this.markers()) {
      series.push({
        label: m.label,
        stroke: p.markers[m.key],
        fill: p.markers[m.key],
        width: 0,
        paths: () => null,
        points: { show: true, size: m.key === 'drain' ? 11 : 8, width: 2 },
      });
    }
    const unit = this.yUnit?.() ?? 'bytes';
    this.buffered = new (uPlot())(
      {
        width: this.width(),
        height: 240,
        title: `Buffered (${unit}) per stream`,
        scales: {
          x: { time: false },
          y: { range: (_u, _min, max) => [0, Math.max(this.yMax ?? 0, max * 1.1, 1)] },
        },
        axes: [...axes(p, unit, xLabel), ...topAxis],
        series,
        cursor,
        legend: { live: true },
        hooks,
      },
      this.data(),
      this.bufferedBox,
    );

    this.countsBox.hidden = rec.sampled;
    if (rec.sampled) return;
    const countSeries = [{ label: xLabel }];
    COUNTS.forEach((c, k) => {
      countSeries.push({
        label: c.label,
        stroke: p.counts[k],
        width: 2,
        paths: uPlot().paths.stepped({ align: 1 }),
        points: { show: false },
      });
    });
    this.counts = new (uPlot())(
      {
        width: this.width(),
        height: 170,
        title: 'Running counts',
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.05, 1)] } },
        axes: axes(p, 'calls / events', xLabel),
        series: countSeries,
        cursor,
        legend: { live: true },
        hooks,
      },
      this.countData(),
      this.countsBox,
    );
  }

  // Samples (trace off) carry no events to mark.
  markers() {
    return this.recorder.sampled ? [] : MARKERS;
  }

  xs() {
    const rec = this.recorder;
    return this.xMode === 'time' ? rec.t : rec.index;
  }

  data() {
    const rec = this.recorder;
    const n = rec.length;
    return [
      this.xs(),
      ...rec.streams.map((s) => rec.buffered[s]),
      ...this.hwms.map((line) => new Array(n).fill(line.value)),
      ...this.markers().map((m) => rec.markers[m.key]),
    ];
  }

  countData() {
    return [this.xs(), ...COUNTS.map((c) => this.recorder.counts[c.key])];
  }

  // Called after the recorder grew.
  update() {
    if (!this.buffered) return;
    this.buffered.setData(this.data());
    this.counts?.setData(this.countData());
  }

  // Puts the cursor on event i (stepping, or a click in the timeline). uPlot applies new data
  // and scales in a later microtask, so the cursor is placed on the next frame, when the
  // positions are final.
  showEvent(i) {
    if (!this.buffered || i == null || i < 0 || i >= this.recorder.length) return;
    // Many events share one virtual millisecond: while the cursor stays at this x, it
    // stands for event i, not for whichever event of that instant uPlot finds first.
    this.pinned = i;
    cancelAnimationFrame(this.showFrame);
    this.showFrame = requestAnimationFrame(() => {
      const u = this.buffered;
      if (!u || this.pinned !== i) return;
      this.quiet = true;
      u.setCursor({ left: u.valToPos(this.xs()[i], 'x'), top: u.valToPos(this.recorder.total[i], 'y') });
      this.quiet = false;
    });
  }

  hovered(u) {
    if (this.quiet || !this.pointerInside || (u !== this.buffered && u !== this.counts)) return;
    let i = u.cursor.idx ?? null;
    if (i !== null && this.pinned != null) {
      const xs = this.xs();
      if (xs[i] === xs[this.pinned]) i = this.pinned;
      else this.pinned = null;
    }
    this.onHover?.(i);
  }

  resize() {
    const w = this.width();
    for (const plot of [this.buffered, this.counts]) {
      if (plot && Math.abs(plot.width - w) > 2) plot.setSize({ width: w, height: plot.height });
    }
  }

  destroyPlots() {
    this.buffered?.destroy();
    this.counts?.destroy();
    this.buffered = this.counts = null;
  }

  destroy() {
    document.removeEventListener('streamlab:theme', this.onTheme);
    this.resizer.disconnect();
    this.destroyPlots();
  }
}
