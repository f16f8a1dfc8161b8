// Play / Step / Restart through a finished program's trace: the run is over (the engine ran it
// in the Worker), so playing only reveals its recorded events one at a time, at the experiment
// player's speeds (shim.js SPEEDS): at most `eventsPerSec` a second and never ahead of virtual
// time mapped at `msPerSec`. While events of one virtual millisecond are shown, the clock stands
// still, as in the experiments. onShow(i) is called with the current event (-1: before the first).
//
//   const p = new ProgramPlayer({ times, onShow, speed: 'slow' });  parent.append(p.el);
import { h } from '../dom.js';
import { SPEEDS } from '../shim.js';

export class ProgramPlayer {
  constructor({ times, onShow, speed = 'slow' }) {
    this.times = times; // virtual ms of each event
    this.onShow = onShow;
    this.at = -1;
    this.frame = 0;
    const button = (label, action, onclick) => h('button', { type: 'button', dataset: { action }, onclick }, label);
    this.playBtn = button('Play', 'play-code', () => (this.frame ? this.pause() : this.play()));
    this.stepBtn = button('Step', 'step-code', () => this.step());
    this.restartBtn = button('Restart', 'restart-code', () => this.restart());
    this.speed = h(
      'select',
      { 'aria-label': 'Playback speed of the program' },
      SPEEDS.filter((s) => s.id !== 'instant').map((s) =>
        h('option', { value: s.id, selected: s.id === speed }, s.label),
      ),
    );
    this.status = h('span', { class: 'player-status', role: 'status' });
    this.el = h(
      'div',
      { class: 'controls program-player', role: 'group', 'aria-label': "Step through the program's events" },
      this.playBtn,
      this.stepBtn,
      this.restartBtn,
      h('label', { class: 'inline' }, 'Speed ', this.speed),
      this.status,
    );
    this.render();
  }

  get length() {
    return this.times.length;
  }

  show(i) {
    this.at = i;
    this.onShow(i);
    this.render();
  }

  step() {
    this.pause();
    if (this.at + 1 < this.length) this.show(this.at + 1);
  }

  restart() {
    this.pause();
    this.show(-1);
  }

  play() {
    if (this.frame) return;
    if (this.at + 1 >= this.length) this.show(-1);
    const speed = SPEEDS.find((s) => s.id === this.speed.value) ?? SPEEDS[1];
    let last = performance.now();
    let allowance = 1; // the first event shows at once
    let clock = this.at >= 0 ? this.times[this.at] : (this.times[0] ?? 0);
    const tick = (now) => {
      const dt = Math.min(now - last, 250); // a background tab does not jump ahead
      last = now;
      allowance = Math.min(allowance + (dt * speed.eventsPerSec) / 1000, speed.eventsPerSec);
      clock += (dt * speed.msPerSec) / 1000;
      let next = this.at + 1;
      // With nothing to show until a later millisecond, the clock runs on to it at this speed.
      let shown = false;
      while (next < this.length && allowance >= 1 && this.times[next] <= clock) {
        allowance -= 1;
        this.at = next;
        next += 1;
        shown = true;
      }
      if (shown) this.show(this.at);
      if (next >= this.length) {
        this.pause();
        return;
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
    this.render();
  }

  pause() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  render() {
    this.playBtn.textContent = this.frame ? 'Pause' : 'Play';
    this.stepBtn.disabled = this.at + 1 >= this.length;
    this.status.textContent =
      this.at < 0
        ? `Before the first of ${this.length.toLocaleString('en-US')} events`
        : `Event ${(this.at + 1).toLocaleString('en-US')} of ${this.length.toLocaleString('en-US')} at ${this.times[this.at]} ms`;
  }

  destroy() {
    this.pause();
  }
}
