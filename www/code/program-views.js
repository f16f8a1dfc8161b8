// The experiment views (charts, tanks, timeline) for a program's run, once the engine's result
// carries what they draw. Today's engine returns output only; the stream classes will add
// `streams`, `trace`, `samples` and `summary`. recorderOf() is the one place that reads those
// fields, so wiring their exact format is a change here alone.
import { h, fill } from '../dom.js';
import { Recorder } from '../recorder.js';
import { Charts } from '../chart.js';
import { Timeline } from '../timeline.js';
import { Tanks } from '../tanks.js';
import { chartSentences } from '../chart-text.js';

// {stream: {readable, writable}} from the result: `highWaterMarks` as the scenario wasm gives
// it, or each entry of `streams` that is an object with its marks.
function marksOf(result) {
  if (result.highWaterMarks && typeof result.highWaterMarks === 'object') return result.highWaterMarks;
  const out = {};
  for (const s of result.streams ?? []) {
    if (s && typeof s === 'object' && s.name !== undefined) {
      out[s.name] = { readable: s.readableHighWaterMark ?? s.highWaterMark, writable: s.writableHighWaterMark };
    }
  }
  return out;
}

const nameOf = (s) => (s && typeof s === 'object' ? String(s.name) : String(s));

// A Recorder for a result, or null when it has nothing to draw. Every amount comes from the
// engine: a traced run needs each stream's buffered amount after each event (`buffered`, one
// object per event, as Simulation.bufferedAt gives it); without those, the samples (taken by
// the core at fixed virtual times) are drawn. No amount is reconstructed here from the trace.
export function recorderOf(result) {
  if (!result || typeof result !== 'object') return null;
  const hwms = marksOf(result);
  const streams = Array.isArray(result.streams) ? result.streams.map(nameOf) : [];
  const trace = Array.isArray(result.trace) ? result.trace : [];
  if (streams.length && trace.length && Array.isArray(result.buffered) && result.buffered.length === trace.length) {
    const rec = new Recorder(streams, hwms);
    rec.add(trace, 0, (i) => result.buffered[i] ?? {});
    return rec;
  }
  if (Array.isArray(result.samples) && result.samples.length) return Recorder.fromSamples(result.samples, hwms);
  return null;
}

export class ProgramViews {
  constructor() {
    this.tanks = new Tanks({ unit: () => 'bytes or objects' });
    this.sentences = h('ul', { class: 'chart-sentences' });
    const chartBox = h('div', { class: 'charts' });
    this.charts = new Charts(chartBox, {
      syncKey: `code-${Math.random().toString(36).slice(2)}`,
      onHover: (i) => this.hovered(i),
      yUnit: () => 'bytes or objects',
    });
    this.timeline = new Timeline({ onSelect: (i) => this.selected(i) });
    this.el = h(
      'div',
      { class: 'code-views', hidden: true },
      this.tanks.el,
      h('figure', { class: 'chart-figure' }, chartBox, h('figcaption', {}, this.sentences)),
      this.timeline.el,
    );
    this.recorder = null;
  }

  // Draws a result; hides the views when it has nothing to draw. Returns whether it drew.
  show(result) {
    const rec = recorderOf(result);
    this.recorder = rec;
    this.el.hidden = !rec;
    if (!rec) return false;
    this.charts.xMode = rec.sampled ? 'time' : 'event';
    this.charts.setRecorder(rec);
    this.charts.update({ now: true });
    this.tanks.setRecorder(rec);
    this.tanks.show(rec.length - 1);
    this.timeline.el.hidden = Boolean(rec.sampled);
    if (!rec.sampled) {
      this.timeline.setRecorder(rec);
      this.timeline.update();
    }
    fill(
      this.sentences,
      chartSentences(
        rec,
        'bytes or objects',
        result.summary?.maxBufferedBytes === undefined ? null : result.summary,
      ).map((s) => h('li', {}, s)),
    );
    return true;
  }

  clear() {
    this.recorder = null;
    this.el.hidden = true;
  }

  hovered(i) {
    if (i === null || !this.recorder) return;
    if (!this.recorder.sampled) this.timeline.highlight(i);
    this.tanks.show(i);
  }

  selected(i) {
    this.charts.showEvent(i);
    this.tanks.show(i);
  }

  destroy() {
    this.charts.destroy();
  }
}
