// What one run has shown so far, kept as columns for the charts and rows for the timeline.
// Every value comes from the core: the trace events themselves and, for each event, the
// buffered amount of each stream just after it (read from the core's trace columns in the
// run's Worker, trace-columns.js, and handed over by RunSource.bufferedAt).

import { roleOf } from './roles.js';
import { sampleColumns } from './sample-columns.js';

// Marker series drawn on the buffered chart: which events, and on which stream's line.
export const MARKERS = [
  { key: 'writeFalse', label: 'write() → false', test: (e) => e.ev === 'write' && e.ret === false },
  { key: 'pause', label: 'pause (or the loop waits)', test: (e) => e.ev === 'pause' || e.ev === 'wait' },
  { key: 'resume', label: 'resume', test: (e) => e.ev === 'resume' },
  { key: 'drain', label: 'drain', test: (e) => e.ev === 'drain' },
];

// Running counts charted beside the buffers.
export const COUNTS = [
  { key: 'reads', label: '_read() calls (source)', test: (e) => e.ev === 'read' && roleOf(e.stream) === 'source' },
  { key: 'writes', label: 'write() calls (sink)', test: (e) => e.ev === 'write' && roleOf(e.stream) === 'sink' },
  {
    key: 'writeCalls',
    label: '_write() calls (sink)',
    test: (e) => e.ev === '_write' && roleOf(e.stream) === 'sink',
  },
  { key: 'drains', label: "'drain' events", test: (e) => e.ev === 'drain' },
];

export class Recorder {
  // streams: names in pipeline order; hwms: {stream: {readable, writable}}.
  constructor(streams, hwms) {
    this.streams = streams;
    this.hwms = hwms;
    this.events = [];
    this.t = [];
    this.index = [];
    this.buffered = Object.fromEntries(streams.map((s) => [s, []]));
    this.total = [];
    this.markers = Object.fromEntries(MARKERS.map((m) => [m.key, []]));
    this.counts = Object.fromEntries(COUNTS.map((c) => [c.key, []]));
    this.running = Object.fromEntries(COUNTS.map((c) => [c.key, 0]));
    this.kinds = new Set();
    this.eventStreams = new Set();
  }

  // Adds newly revealed events; bufferedAt(i) gives the core's per-stream buffered amounts.
  add(events, first, bufferedAt) {
    events.forEach((event, k) => {
      const i = first + k;
      const b = bufferedAt(i);
      this.events.push(event);
      this.t.push(event.t);
      this.index.push(i);
      let total = 0;
      for (const s of this.streams) {
        const v = b[s] ?? 0;
        this.buffered[s].push(v);
        total += v;
      }
      this.total.push(total);
      const markerStream = this.markerStream(event);
      for (const m of MARKERS) {
        this.markers[m.key].push(m.test(event) ? (b[markerStream] ?? total) : null);
      }
      for (const c of COUNTS) {
        if (c.test(event)) this.running[c.key] += 1;
        this.counts[c.key].push(this.running[c.key]);
      }
      this.kinds.add(event.ev);
      this.eventStreams.add(event.stream);
    });
  }

  // A write() marker sits on the stream written to; pause/resume on the readable.
  markerStream(event) {
    return this.streams.includes(event.stream) ? event.stream : this.streams[this.streams.length - 1];
  }

  // A run traced with the trace off has only the core's samples: the chart shows those.
  static fromSamples(samples, hwms = {}) {
    const columns = sampleColumns(samples);
    const rec = Recorder.forSamples(columns.streams, hwms);
    rec.addSamples(columns, 0, columns.n);
    return rec;
  }

  // An empty recorder for a trace-off run's samples, given as columns (sample-columns.js)
  // a slice at a time by addSamples.
  static forSamples(streams, hwms = {}) {
    const rec = new Recorder(streams, hwms);
    rec.sampled = true;
    return rec;
  }

  // Appends samples [from, to) of the columns.
  addSamples({ streams, t, total, buffered }, from, to) {
    const w = streams.length;
    for (let i = from; i < to; i++) {
      this.events.push({ t: t[i], ev: 'sample', stream: '' });
      this.t.push(t[i]);
      this.index.push(i);
      for (let k = 0; k < w; k++) this.buffered[streams[k]].push(buffered[i * w + k]);
      this.total.push(total[i]);
      for (const m of MARKERS) this.markers[m.key].push(null);
      for (const c of COUNTS) this.counts[c.key].push(0);
    }
  }

  get length() {
    return this.events.length;
  }

  // Each stream's highWaterMarks, as [label, value] for the lines on the chart.
  hwmLines() {
    const lines = [];
    for (const s of this.streams) {
      const h = this.hwms?.[s] ?? {};
      const both = h.readable !== undefined && h.writable !== undefined;
      if (h.readable !== undefined)
        lines.push({ stream: s, label: `${s} ${both ? 'readable ' : ''}highWaterMark`, value: h.readable });
      if (h.writable !== undefined)
        lines.push({ stream: s, label: `${s} ${both ? 'writable ' : ''}highWaterMark`, value: h.writable });
    }
    return lines;
  }

  // Buffered amounts and time at event i, for the "state at this moment" line.
  stateAt(i) {
    if (i < 0 || i >= this.events.length) return null;
    return {
      event: this.events[i],
      index: this.index[i],
      buffered: Object.fromEntries(this.streams.map((s) => [s, this.buffered[s][i]])),
    };
  }
}
