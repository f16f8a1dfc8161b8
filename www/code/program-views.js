// The experiment views (charts, tanks, timeline) for a program's run, once the engine's result
// carries what they draw (program-recorder.js reads it).
import { h, fill } from '../dom.js';
import { recorderOf } from './program-recorder.js';
import { Charts } from '../chart.js';
import { Timeline } from '../timeline.js';
import { Tanks } from '../tanks.js';
import { chartSentences } from '../chart-text.js';

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
