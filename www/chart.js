// The two uPlot charts of an experiment: buffered amount per stream (with each
// highWaterMark as a dashed line and markers for write() → false, pause, resume and drain),
// and the running counts of _read(), write(), _write() and 'drain'. Both share a cursor, so
// hovering one shows the same moment in the other and in the timeline.
//
// Drawing costs the same however long the run: new events are appended to a Decimator
// (decimate.js), which keeps a few points per pixel column, and only that is handed to uPlot.
import { h } from './dom.js';
import { MARKERS, COUNTS } from './recorder.js';
import { Decimator } from './decimate.js';
import { rolePalette, streamColour, roleDash } from './roles.js';
import { amountTicks, axisSize, formatAmount, formatCount, INTEGER_INCRS, BYTE_INCRS } from './units.js';

const uPlot = () => window.uPlot;
const MARKER_SIZE = { writeFalse: 8, pause: 9, resume: 8, drain: 11 };
// While a run streams in, the canvases are redrawn at most this often (the newest events are
// always drawn, a moment later); a step or the end of a run draws at once.
const REDRAW_MS = 100;

function axes(p, yLabel, xLabel, yValues, yIncrs = INTEGER_INCRS) {
  const axis = { stroke: p.axis, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 } };
  return [
    { ...axis, label: xLabel, labelSize: 20, incrs: INTEGER_INCRS },
    { ...axis, label: yLabel, labelSize: 20, size: axisSize, values: yValues, incrs: yIncrs },
  ];
}

// The markers of one series as one path of squares (or diamonds): uPlot's own points are a
// circle each, filled and stroked, and rasterising hundreds of them was half the cost of
// committing a frame that redrew the chart.
function markerPaths(size, diamond) {
  return (u, si, i0, i1) => {
    const half = (size * devicePixelRatio) / 2;
    const xs = u.data[0];
    const ys = u.data[si];
    const path = new Path2D();
    for (let i = i0; i <= i1; i++) {
      if (ys[i] == null) continue;
      const x = Math.round(u.valToPos(xs[i], 'x', true));
      const y = Math.round(u.valToPos(ys[i], 'y', true));
      if (diamond) {
        path.moveTo(x, y - half);
        path.lineTo(x + half, y);
        path.lineTo(x, y + half);
        path.lineTo(x - half, y);
        path.closePath();
      } else path.rect(x - half, y - half, 2 * half, 2 * half);
    }
    return { fill: path, stroke: null };
  };
}

// Time labels for the event axis's ticks: a label only where the time differs from the
// previous tick's, so a burst inside one millisecond does not print "0 0 0 0".
export function eventTimeLabels(splits, timeAt) {
  let previous = null;
  return splits.map((v) => {
    const t = timeAt(v);
    if (t == null || t === previous) return '';
    previous = t;
    return `${t}`;
  });
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
      this.showLatest();
    });
    this.onTheme = () => this.build();
    document.addEventListener('streamlab:theme', this.onTheme);
  }

  // A new run: rebuild both plots for its streams.
  setRecorder(recorder) {
    this.recorder = recorder;
    // A new run of the same streams keeps its plots: only their data starts again (Step
    // after a long run must not wait for two charts to be rebuilt).
    if (this.buffered && recorder && this.layoutKey() === this.builtKey) {
      this.restartData();
      return;
    }
    this.build();
  }

  // What decides the plots' series and axes.
  layoutKey() {
    const rec = this.recorder;
    return JSON.stringify([rec.streams, rec.hwms, Boolean(rec.sampled), this.xMode, this.yUnit?.()]);
  }

  restartData() {
    this.bufDec = new Decimator(this.bufDec.kinds, this.bufDec.maxBuckets);
    this.countDec = new Decimator(this.countDec.kinds, this.countDec.maxBuckets);
    this.fed = 0;
    this.feed();
    this.draw();
  }

  setXMode(mode) {
    this.xMode = mode;
    this.build();
  }

  // Shared y range for side-by-side runs (null: each chart fits its own data). The plot's y
  // range reads yMax, so new data (the same data) applies it: rebuilding both plots of both
  // sides after every run was a task of 60 ms.
  setYMax(max) {
    this.yMax = max;
    if (this.buffered) this.buffered.setData(this.bufDec.output().data);
  }

  width() {
    return Math.max(240, Math.floor(this.container.clientWidth));
  }

  build() {
    this.destroyPlots();
    const rec = this.recorder;
    if (!rec) return;
    this.builtKey = this.layoutKey();
    const p = rolePalette(this.container);
    const unit = this.yUnit?.() ?? 'bytes';
    const xLabel = this.xMode === 'time' ? 'virtual time (ms)' : 'trace event #';
    const fmt = (_u, v) => (v == null ? '–' : formatAmount(v, unit));
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
              incrs: INTEGER_INCRS,
              values: (_u, splits) =>
                eventTimeLabels(splits, (v) => (Number.isInteger(v) && v >= 0 && v < rec.length ? rec.t[v] : null)),
            },
          ];
    const cursor = {
      sync: { key: this.syncKey },
      points: { size: 7 },
      y: false, // a horizontal crosshair would suggest a value that no stream has
      drag: { x: false, y: false },
    };
    const hooks = { setCursor: [(u) => this.hovered(u)] };
    const xValue = (_u, v) => (v == null ? '' : String(v));
    const series = [{ label: xLabel, value: xValue }];
    const kinds = [];
    rec.streams.forEach((s) => {
      series.push({
        label: `${s} buffered`,
        stroke: streamColour(p, s),
        dash: roleDash(s),
        width: 2,
        paths: uPlot().paths.stepped({ align: 1 }),
        points: { show: false },
        value: fmt,
      });
      kinds.push('line');
    });
    this.hwms = rec.hwmLines();
    for (const line of this.hwms) {
      series.push({
        label: line.label,
        stroke: streamColour(p, line.stream),
        width: 1,
        dash: [6, 5],
        points: { show: false },
        value: fmt,
      });
      kinds.push('line');
    }
    for (const m of this.markers()) {
      series.push({
        label: m.label,
        stroke: p.markers[m.key],
        fill: p.markers[m.key],
        width: 0,
        paths: () => null,
        points: {
          show: true,
          size: MARKER_SIZE[m.key],
          width: 0,
          paths: markerPaths(MARKER_SIZE[m.key] - 2, m.key === 'pause' || m.key === 'drain'),
        },
        value: fmt,
      });
      kinds.push('marker');
    }
    // One bucket per two pixel columns: a bucket draws as up to three points (its low, high
    // and last value), and the canvas work grows with the points drawn.
    const columns = Math.ceil(this.width() / 2);
    this.bufDec = new Decimator(kinds, columns);
    this.countDec = new Decimator(
      COUNTS.map(() => 'line'),
      columns,
    );
    this.fed = 0;
    this.feed();
    this.buffered = new (uPlot())(
      {
        width: this.width(),
        height: 240,
        title: `Buffered per stream (${unit})`,
        scales: {
          x: { time: false },
          y: { range: (_u, _min, max) => [0, Math.max(this.yMax ?? 0, max * 1.1, 1)] },
        },
        axes: [
          ...axes(
            p,
            `buffered (${unit === 'bytes' ? 'B, KiB, MiB, GiB' : unit})`,
            xLabel,
            amountTicks(unit),
            unit === 'bytes' ? BYTE_INCRS : INTEGER_INCRS,
          ),
          ...topAxis,
        ],
        series,
        cursor,
        legend: { live: true },
        hooks,
      },
      this.bufDec.output().data,
      this.bufferedBox,
    );

    this.countsBox.hidden = rec.sampled;
    if (!rec.sampled) {
      const countColour = {
        reads: streamColour(p, 'source'),
        writes: streamColour(p, 'sink'),
        writeCalls: streamColour(p, 'sink'),
        drains: p.markers.drain,
      };
      const countSeries = [{ label: xLabel, value: xValue }];
      for (const c of COUNTS) {
        countSeries.push({
          label: c.label,
          stroke: countColour[c.key],
          dash: c.key === 'writeCalls' ? [6, 4] : undefined,
          width: 2,
          paths: uPlot().paths.stepped({ align: 1 }),
          points: { show: false },
          value: (_u, v) => (v == null ? '–' : formatCount(v)),
        });
      }
      this.counts = new (uPlot())(
        {
          width: this.width(),
          height: 170,
          title: 'Running counts',
          scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.05, 1)] } },
          axes: axes(p, 'calls / events', xLabel, amountTicks('count')),
          series: countSeries,
          cursor,
          legend: { live: true },
          hooks,
        },
        this.countDec.output().data,
        this.countsBox,
      );
    }
    this.showLatest();
  }

  // Samples (trace off) carry no events to mark.
  markers() {
    return this.recorder.sampled ? [] : MARKERS;
  }

  // Appends the recorder's rows not yet charted to the decimators.
  feed() {
    const rec = this.recorder;
    const xs = this.xMode === 'time' ? rec.t : rec.index;
    const marks = this.markers();
    const hwmValues = this.hwms.map((l) => l.value);
    for (let i = this.fed; i < rec.length; i++) {
      const values = [];
      for (const s of rec.streams) values.push(rec.buffered[s][i]);
      for (const v of hwmValues) values.push(v);
      for (const m of marks) values.push(rec.markers[m.key][i]);
      this.bufDec.push(xs[i], values, i);
      if (!rec.sampled)
        this.countDec.push(
          xs[i],
          COUNTS.map((c) => rec.counts[c.key][i]),
          i,
        );
    }
    this.fed = rec.length;
  }

  // Adds the recorder's new rows to the decimators without drawing: the experiment calls it
  // as it records, so the cost of feeding falls in its recording budget, not in a redraw.
  catchUp() {
    if (this.buffered && this.recorder && this.recorder.length >= this.fed) this.feed();
  }

  // Called after the recorder grew: only the new events are added.
  // now: draw at once (a step, the end of a run); otherwise at most every REDRAW_MS.
  // together: both plots in this frame (a short run: drawing it costs little).
  update({ now = false, together = false } = {}) {
    if (!this.buffered) return;
    if (this.recorder.length < this.fed) return this.build();
    this.pinned = null;
    this.feed();
    const since = performance.now() - (this.drawnAt ?? 0);
    clearTimeout(this.drawTimer);
    if (now || since >= REDRAW_MS) this.draw(together);
    else this.drawTimer = setTimeout(() => this.draw(), REDRAW_MS - since);
  }

  // One plot per animation frame: a plot's redraw (its paths, then the canvas rasterised when
  // the frame is committed) is the largest piece of a frame, and two in one frame made tasks
  // of 50–60 ms on a busy 2-core machine. The counts follow one frame after the buffers.
  draw(together = false) {
    if (!this.buffered) return;
    this.drawnAt = performance.now();
    this.buffered.setData(this.bufDec.output().data);
    cancelAnimationFrame(this.countsFrame);
    const counts = () => {
      this.counts?.setData(this.countDec.output().data);
      if (!together) this.showLatest();
    };
    if (together) counts();
    else if (this.counts) this.countsFrame = requestAnimationFrame(counts);
    this.showLatest();
  }

  // Resolves once everything fed has been drawn (the counts a frame after the buffers).
  drawn() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }

  // Legends show the latest values when nothing is hovered (not "--"). uPlot commits new
  // data in a microtask queued by setData; this one is queued after it, so it runs in the
  // same frame, once the data is in (a frame of its own only for the legend cost a paint).
  showLatest() {
    this.legendTicket = (this.legendTicket ?? 0) + 1;
    const ticket = this.legendTicket;
    queueMicrotask(() => {
      if (ticket !== this.legendTicket) return;
      if (this.pointerInside || this.pinned != null) return;
      for (const u of [this.buffered, this.counts]) {
        const n = u?.data?.[0]?.length ?? 0;
        if (n) u.setLegend({ idx: n - 1 });
      }
    });
  }

  // The point drawn for event i (the last at or before it).
  pointOf(i) {
    const events = this.bufDec?.output().events ?? [];
    let lo = 0;
    let hi = events.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid] <= i) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
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
      const xs = this.xMode === 'time' ? this.recorder.t : this.recorder.index;
      this.quiet = true;
      u.setCursor({ left: u.valToPos(xs[i], 'x'), top: u.valToPos(this.recorder.total[i], 'y') });
      const k = this.pointOf(i);
      if (k >= 0) {
        u.setLegend({ idx: k });
        this.counts?.setLegend({ idx: k });
      }
      this.quiet = false;
    });
  }

  hovered(u) {
    if (this.quiet || !this.pointerInside || (u !== this.buffered && u !== this.counts)) return;
    const k = u.cursor.idx;
    if (k == null) return this.onHover?.(null);
    const events = this.bufDec.output().events;
    let i = events[k] ?? null;
    if (i !== null && this.pinned != null) {
      const xs = this.xMode === 'time' ? this.recorder.t : this.recorder.index;
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
    clearTimeout(this.drawTimer);
    cancelAnimationFrame(this.countsFrame);
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
