// The pipeline as a row of tanks (source → transforms → sink): each tank's fill is what the
// stream holds against its highWaterMark (the line across it), and the backpressure signals
// of the event shown (write() → false, 'pause', 'drain', 'resume') light up as they happen.
// It shows the same event as the chart's cursor and the timeline: Step, Play and hover move
// all three together.
import { h, fill } from './dom.js';
import { roleOf } from './roles.js';
import { formatAmount } from './units.js';

const SIGNALS = {
  write: (e) => (e.ret === false ? "write() → false: 'please stop'" : null),
  pause: () => "'pause': the readable stops emitting 'data'",
  drain: () => "'drain': the writable's buffer is empty again",
  resume: () => "'resume': the readable flows again",
  wait: () => "the loop waits for 'drain'",
  wake: () => "the loop goes on after 'drain'",
};
const LOOK_BACK = 4000; // events searched for a stream's last pause/resume

// Writes a property only when its value changes.
function set(target, key, value) {
  if (target[key] !== value) target[key] = value;
}

export class Tanks {
  constructor({ unit }) {
    this.unit = unit;
    this.recorder = null;
    this.row = h('div', { class: 'tank-row' });
    this.signal = h('p', { class: 'tank-signal' });
    this.el = h('div', { class: 'tanks', role: 'img', 'aria-label': 'The pipeline as tanks' }, this.row, this.signal);
    this.el.hidden = true;
    this.parts = new Map();
  }

  setRecorder(recorder) {
    this.recorder = recorder;
    this.parts.clear();
    fill(this.row);
    fill(this.signal);
    this.el.hidden = !recorder?.streams.length;
    if (this.el.hidden) return;
    recorder.streams.forEach((s, k) => {
      if (k) this.row.append(h('span', { class: 'tank-pipe', 'aria-hidden': 'true' }, '→'));
      const level = h('div', { class: 'tank-level' });
      const mark = h('div', { class: 'tank-mark' });
      const value = h('span', { class: 'tank-value' });
      const flag = h('span', { class: 'tank-flag' });
      const tank = h(
        'div',
        { class: `tank role-${roleOf(s)}`, dataset: { stream: s } },
        h('span', { class: 'tank-name' }, s),
        h('div', { class: 'tank-body' }, level, mark),
        value,
        flag,
      );
      this.row.append(tank);
      this.parts.set(s, { tank, level, mark, value, flag, hwm: this.hwmOf(s) });
    });
  }

  // The mark drawn in the tank: the writable side's for a sink, the readable side's otherwise.
  hwmOf(stream) {
    const hw = this.recorder.hwms?.[stream] ?? {};
    return roleOf(stream) === 'sink' ? (hw.writable ?? hw.readable) : (hw.readable ?? hw.writable);
  }

  // Shows the state just after event i. Only what differs from the last event shown is
  // written: Play shows an event per frame, and an unchanged write still costs a layout.
  show(i) {
    const rec = this.recorder;
    if (!rec || i == null || i < 0 || i >= rec.length) return;
    const unit = this.unit();
    for (const [s, p] of this.parts) {
      const v = rec.buffered[s][i] ?? 0;
      // The tank holds twice its mark: the mark sits half-way up; more than that shows full.
      const cap = Math.max(1, (p.hwm ?? 0) * 2, p.hwm ? 0 : v);
      set(p.level.style, 'transform', `scaleY(${Math.min(1, Math.round((1000 * v) / cap) / 1000)})`);
      set(p.mark.style, 'bottom', p.hwm ? '50%' : '100%');
      const over = p.hwm !== undefined && v >= p.hwm;
      if (p.tank.classList.contains('over') !== over) p.tank.classList.toggle('over', over);
      set(
        p.value,
        'textContent',
        `${formatAmount(v, unit)}${p.hwm !== undefined ? ` / hwm ${formatAmount(p.hwm, unit)}` : ''}`,
      );
      set(p.flag, 'textContent', rec.sampled ? '' : this.flagOf(s, i));
    }
    const e = rec.events[i];
    const say = !rec.sampled && SIGNALS[e.ev]?.(e);
    set(this.signal, 'textContent', say ? `${e.t} ms, ${e.stream}: ${say}` : '');
    set(this.signal.dataset, 'ev', say ? e.ev : '');
    const label = `Buffered after event ${i}: ${[...this.parts].map(([s]) => `${s} ${formatAmount(rec.buffered[s][i], unit)}`).join(', ')}`;
    if (this.el.getAttribute('aria-label') !== label) this.el.setAttribute('aria-label', label);
  }

  // "paused" between a readable's 'pause' and its 'resume'; "waiting for 'drain'" between a
  // write() → false into the stream and its 'drain'.
  flagOf(stream, i) {
    const events = this.recorder.events;
    const stop = Math.max(0, i - LOOK_BACK);
    let paused = null;
    let needDrain = null;
    for (let k = i; k >= stop && (paused === null || needDrain === null); k--) {
      const e = events[k];
      if (e.stream !== stream) continue;
      // A stream that ended or closed waits for nothing.
      if (e.ev === 'end' || e.ev === 'close' || e.ev === 'finish') return '';
      if (paused === null && (e.ev === 'pause' || e.ev === 'resume')) paused = e.ev === 'pause';
      if (needDrain === null && (e.ev === 'drain' || (e.ev === 'write' && e.ret === false)))
        needDrain = e.ev === 'write';
    }
    return this.flagText(paused, needDrain);
  }

  flagText(paused, needDrain) {
    return [paused ? 'paused' : '', needDrain ? "waiting for 'drain'" : ''].filter(Boolean).join(' · ');
  }
}
