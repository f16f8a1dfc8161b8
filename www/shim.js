// The browser event-loop shim: plays a run (a RunSource: the core in a Worker, run-worker.js)
// from requestAnimationFrame and maps virtual time onto real time.
//
// The core runs whole macrotasks (a burst at t=0 can be dozens of events, or a million); the
// source brings the events in batches and the shim reveals them one at a time, at most
// `eventsPerSec` per real second and never ahead of the virtual clock. While a burst is being
// revealed the clock stands still at that instant, which is what really happens: every event of
// one macrotask shares one virtual millisecond.
//
// No core work happens on this thread: a frame only takes what has arrived, for at most
// `budgetMs`; what has not arrived yet waits for a later frame. A run with more events than the
// page traces (limits.js) is not played: the source runs it with the trace off (onLimit, then
// onUntraced with its result).

export const SPEEDS = [
  { id: 'slowest', label: 'Slow motion: 3 events/s', msPerSec: 4, eventsPerSec: 3 },
  { id: 'slow', label: 'Slow: 12 events/s', msPerSec: 20, eventsPerSec: 12 },
  { id: 'normal', label: 'Normal: 1 ms every 10 ms', msPerSec: 100, eventsPerSec: 60 },
  { id: 'fast', label: 'Real time', msPerSec: 1000, eventsPerSec: 600 },
  { id: 'faster', label: '20× real time', msPerSec: 20000, eventsPerSec: 20000 },
  { id: 'instant', label: 'Instant', msPerSec: Infinity, eventsPerSec: Infinity },
];

const BATCH = 256; // events handed to onReveal at a time, so a frame can stop between batches

export class Player {
  // open(): a fresh RunSource. describe(): { streams, highWaterMarks } of the scenario (cheap,
  // no run). onReveal(events, firstIndex): newly shown trace events. onState(state): after
  // anything changes. onReset(description): a new run replaced the old one. onError(err): the
  // run stopped (a runner limit, Stop, a trap); the player pauses. onLimit(info): more events
  // than the page traces, the run goes on with the trace off; onUntraced({result, ms, events}).
  constructor({
    open,
    describe,
    onReveal,
    onState,
    onReset,
    onError,
    onLimit,
    onUntraced,
    speed = 'normal',
    budgetMs = 6,
  }) {
    Object.assign(this, { open, describe, onReveal, onState, onReset, onError, onLimit, onUntraced, budgetMs });
    this.setSpeed(speed);
    this.source = null;
    this.frame = 0; // a pending animation frame (-1: a timer first)
    this.timer = 0;
    this.waiters = [];
    this.load();
  }

  load() {
    this.source?.stop();
    this.source = null;
    this.description = this.describe();
    this.revealed = 0; // trace index of the next event to reveal
    this.clock = 0; // virtual ms shown
    this.allowance = 0; // events that may still be revealed at the current speed
    this.mode = 'paused'; // 'paused' | 'playing' | 'to-end'
    this.finished = false;
    this.stopped = null; // what ended the run early, if something did
    this.untraced = false; // past the trace limits: running with the trace off
    this.onReset?.(this.description);
    this.emit();
  }

  // The run starts on first use (play, step, run), not when the player is made.
  ensureSource() {
    if (this.source) return this.source;
    const source = this.open();
    this.source = source;
    source.info.then(
      (info) => {
        if (this.source !== source || info.kind !== 'over') return;
        // Nothing to reveal until the trace-off result: no frames meanwhile.
        this.untraced = true;
        this.cancelFrame();
        this.onLimit?.(info);
        source.untraced.then(
          (reply) => {
            if (this.source !== source) return;
            this.finished = true;
            this.mode = 'paused';
            this.clock = reply.result?.summary?.endedAtMs ?? this.clock;
            this.onUntraced?.(reply);
            this.settle();
            this.emit();
          },
          () => {},
        );
      },
      () => {},
    );
    // An error while no frame is running (the count, a pull) still stops the player.
    source.arrival().then(() => this.noticeError(source));
    source.untraced.catch(() => this.noticeError(source));
    return source;
  }

  noticeError(source) {
    if (this.source === source && source.error && !this.stopped) this.guard(() => this.fill(1));
  }

  setSpeed(id) {
    this.speed = SPEEDS.find((s) => s.id === id) ?? SPEEDS[2];
  }

  play() {
    if (this.finished || this.stopped) this.restart();
    this.ensureSource();
    this.mode = 'playing';
    this.schedule();
    this.emit();
  }

  pause() {
    if (this.mode !== 'paused') this.mode = 'paused';
    this.cancelFrame();
    this.emit();
  }

  restart() {
    this.cancelFrame();
    this.load();
  }

  // Ends the run now (its Worker is terminated); what was shown stays.
  stop() {
    if (!this.source || this.finished || this.stopped) return;
    this.source.stop();
    this.guard(() => this.fill(1));
  }

  // Is a run under way (counting, fetching, playing or running with the trace off)?
  busy() {
    return Boolean(this.source) && !this.finished && !this.stopped;
  }

  // Reveals exactly one more event. Resolves to the number revealed: 1, or 0 at the end.
  step() {
    return this.reveal(1);
  }

  // Reveals up to n more events, waiting for the source where needed and handing the browser
  // a frame whenever budgetMs is used; paused afterwards. Resolves to how many were revealed.
  async reveal(n) {
    this.pause();
    const source = this.ensureSource();
    let done = 0;
    let deadline = performance.now() + this.budgetMs;
    while (done < n && this.source === source) {
      if (!this.guard(() => this.fill(1))) {
        if (this.stopped || this.finished || source.error || (source.done && !source.available())) break;
        await source.arrival();
        continue;
      }
      done += this.showUntil(n - done, deadline);
      if (performance.now() > deadline) {
        await new Promise((resolve) => requestAnimationFrame(() => resolve()));
        deadline = performance.now() + this.budgetMs;
      }
    }
    this.checkEnd();
    this.emit();
    return done;
  }

  // Runs to the end as fast as frames allow, showing all of it. Resolves when done.
  runToEnd() {
    if (this.finished) return Promise.resolve();
    if (this.stopped) this.restart();
    this.ensureSource();
    this.mode = 'to-end';
    this.schedule();
    this.emit();
    return this.whenFinished();
  }

  whenFinished() {
    if (this.finished || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  state() {
    return {
      mode: this.mode,
      clock: this.clock,
      revealed: this.revealed,
      finished: this.finished,
      stopped: Boolean(this.stopped),
      busy: this.busy(),
      speed: this.speed.id,
    };
  }

  destroy() {
    this.cancelFrame();
    this.source?.stop();
    this.source = null;
  }

  // ---- internals ----

  // An error from the run (a runner limit, Stop, a trap, the wall-time limit) stops the
  // player instead of escaping from an animation frame.
  guard(work) {
    try {
      return work();
    } catch (err) {
      this.mode = 'paused';
      this.stopped = err;
      this.cancelFrame();
      this.onError?.(err);
      this.settle();
      this.emit();
      return false;
    }
  }

  settle() {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  emit() {
    this.onState?.(this.state());
  }

  schedule() {
    if (this.frame || this.untraced) return;
    let last = performance.now();
    const tick = (now) => {
      this.frame = 0;
      const dt = Math.min(now - last, 100); // a background tab must not jump ahead
      last = now;
      if (this.guard(() => this.advance(dt)) === false && this.stopped) return;
      if (this.mode !== 'paused' && !this.finished && !this.stopped && !this.untraced) this.nextFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  // In slow motion nothing changes between two events but the clock (shown at most every
  // 100 ms): the player sleeps until the next event is due instead of asking for every frame,
  // so a page playing at 3 events a second uses a few percent of a core, not a sixth.
  nextFrame(tick) {
    const wait = this.idleMs();
    if (wait < 20) {
      this.frame = requestAnimationFrame(tick);
      return;
    }
    this.frame = -1; // a frame is pending (a timer first)
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.frame = requestAnimationFrame(tick);
    }, wait - 8);
  }

  // Real ms until the next event may be shown while playing (0: show frames now).
  idleMs() {
    if (this.mode !== 'playing' || !this.source?.available()) return 0;
    const { eventsPerSec, msPerSec } = this.speed;
    if (!Number.isFinite(eventsPerSec) || eventsPerSec > 60) return 0;
    const byRate = ((1 - this.allowance) * 1000) / eventsPerSec;
    const byClock = ((this.source.peek().t - this.clock) * 1000) / msPerSec;
    return Math.max(0, Math.min(90, Math.max(byRate, byClock)));
  }

  cancelFrame() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.frame > 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  // True when at least n events have arrived and wait to be shown; else asks for more and
  // answers false. Throws what stopped the run.
  fill(n) {
    const source = this.ensureSource();
    if (source.error) throw source.error;
    if (source.available() >= n) return true;
    source.want();
    return false;
  }

  // Shows up to `max` arrived events, BATCH at a time, until the deadline: onReveal's work
  // (recording, the buffered amounts) counts against the frame too. Returns how many.
  showUntil(max, deadline) {
    let shown = 0;
    while (shown < max && this.source.available()) {
      const first = this.revealed;
      const batch = this.source.take(Math.min(max - shown, BATCH));
      this.revealed += batch.length;
      shown += batch.length;
      this.clock = batch[batch.length - 1].t;
      this.onReveal?.(batch, first);
      this.source.release();
      if (performance.now() > deadline) break;
    }
    return shown;
  }

  advance(dt) {
    const deadline = performance.now() + this.budgetMs;
    const first = this.revealed;
    const shown = [];
    if (this.mode === 'to-end' || this.speed.eventsPerSec === Infinity) {
      if (this.fill(1)) this.showUntil(Infinity, deadline);
    } else if (this.mode === 'playing') {
      this.allowance += (dt * this.speed.eventsPerSec) / 1000;
      this.clock += (dt * this.speed.msPerSec) / 1000;
      let next = null;
      while (this.allowance >= 1 && performance.now() <= deadline && this.fill(1)) {
        next = this.source.peek();
        if (next.t > this.clock) break;
        shown.push(this.source.take(1)[0]);
        this.revealed += 1;
        this.allowance -= 1;
        next = null;
      }
      next ??= this.source.available() ? this.source.peek() : null;
      if (next && next.t < this.clock) {
        // Held back by the event rate: virtual time waits at the burst's instant.
        this.clock = next.t;
      } else {
        // Waiting for the clock: unused allowance must not pile up into a later flood.
        this.allowance = Math.min(this.allowance, 1);
      }
    }
    if (shown.length) this.onReveal?.(shown, first);
    this.source?.release();
    this.checkEnd();
    this.emit();
  }

  checkEnd() {
    const s = this.source;
    if (this.finished || !s || !s.done || s.available() || !s.summary) return;
    this.finished = true;
    this.mode = 'paused';
    this.clock = s.summary.endedAtMs ?? this.clock;
    this.settle();
  }
}
