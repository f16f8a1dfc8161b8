// The experiment views (charts, tanks, timeline) for a program's run, once the engine's result
// carries what they draw (program-recorder.js reads it), and a player that steps through a
// traced run's events. onEvent(i, line) follows the event shown (by the player, a hover on the
// chart, a click in the timeline) with the program's line behind it (0: none).
import { h, fill } from '../dom.js';
import { recorderOf, lineAt } from './program-recorder.js';
import { ProgramPlayer } from './program-player.js';
import { describeEvent } from '../timeline.js';
import { Charts } from '../chart.js';
import { Timeline } from '../timeline.js';
import { Tanks } from '../tanks.js';
import { chartSentences } from '../chart-text.js';

export class ProgramViews {
  constructor({ onEvent } = {}) {
    this.onEvent = onEvent;
    this.player = null;
    this.result = null;
    this.playerBox = h('div', { class: 'program-player-box' });
    this.now = h('p', { class: 'program-now' });
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
      this.playerBox,
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
    this.result = result;
    this.player?.destroy();
    this.player = null;
    fill(this.playerBox);
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
      this.player = new ProgramPlayer({ times: rec.events.map((e) => e.t), onShow: (i) => this.showAt(i) });
      fill(this.playerBox, this.player.el, this.now);
      this.player.show(-1);
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

  // The state just after event i (before the first when i is -1), and the line behind it.
  showAt(i) {
    const rec = this.recorder;
    if (!rec) return;
    if (i >= 0) {
      this.charts.showEvent(i);
      this.tanks.show(i);
      this.timeline.highlight(i, { follow: true });
    }
    const line = i >= 0 ? lineAt(this.result, i) : 0;
    const e = rec.events[i];
    this.now.textContent = e
      ? `${e.stream}: ${e.ev}${describeEvent(e) ? ` ${describeEvent(e)}` : ''}${line ? `, from line ${line}` : ", from Node's own code (no line of the program)"}`
      : '';
    this.onEvent?.(i, line);
  }

  clear() {
    this.player?.destroy();
    this.player = null;
    this.recorder = null;
    this.el.hidden = true;
  }

  hovered(i) {
    if (i === null || !this.recorder) return;
    if (!this.recorder.sampled) this.timeline.highlight(i);
    this.tanks.show(i);
    if (!this.recorder.sampled) this.onEvent?.(i, lineAt(this.result, i));
  }

  selected(i) {
    this.charts.showEvent(i);
    this.tanks.show(i);
    this.onEvent?.(i, lineAt(this.result, i));
  }

  destroy() {
    this.player?.destroy();
    this.charts.destroy();
  }
}
