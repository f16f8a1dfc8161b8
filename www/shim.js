// The browser event-loop shim: drives the core's stepping handle (Simulation) from
// requestAnimationFrame and maps virtual time onto real time.
//
// The core runs whole macrotasks (a burst at t=0 can be dozens of events); the shim keeps the
// events it has not shown yet in a queue and reveals them one at a time, at most
// `eventsPerSec` per real second and never ahead of the virtual clock. While a burst is being
// revealed the clock stands still at that instant, which is what really happens: every event of
// one macrotask shares one virtual millisecond.
//
// Each frame does at most `budgetMs` of core work, so a long run never drops frames; the rest
// waits for the next frame.

export const SPEEDS = [
  { id: 'slowest', label: 'Slow motion: 3 events/s', msPerSec: 4, eventsPerSec: 3 },
  { id: 'slow', label: 'Slow: 12 events/s', msPerSec: 20, eventsPerSec: 12 },
  { id: 'normal', label: 'Normal: 1 ms every 10 ms', msPerSec: 100, eventsPerSec: 60 },
  { id: 'fast', label: 'Real time', msPerSec: 1000, eventsPerSec: 600 },
  { id: 'faster', label: '20× real time', msPerSec: 20000, eventsPerSec: 20000 },
  { id: 'instant', label: 'Instant', msPerSec: Infinity, eventsPerSec: Infinity },
];

const CHUNK = 256; // events asked of the core per call while filling the queue
const FETCH = 4096; // trace events copied out of the core per call, so one call stays short

export class Player {
  // create(): a fresh Simulation. onReveal(events, firstIndex): newly shown trace events.
  // onState(state): after anything changes. onReset(): a new simulation replaced the old one.
  // onError(err): the core stopped the run (a runner limit); the player pauses.
  constructor({ create, onReveal, onState, onReset, onError, speed = 'normal', budgetMs = 6 }) {
    this.create = create;
    this.onError = onError;
    this.onReveal = onReveal;
    this.onState = onState;
    this.onReset = onReset;
    this.budgetMs = budgetMs;
    this.setSpeed(speed);
    this.sim = null;
    this.frame = 0;
    this.waiters = [];
    this.load();
  }

  load() {
    this.sim?.free();
    this.sim = this.create();
    this.queue = []; // fetched from the core, not yet revealed
    this.head = 0; // index of the next queued event to reveal
    this.revealed = 0; // trace index of the next event to reveal
    this.clock = 0; // virtual ms shown
    this.allowance = 0; // events that may still be revealed at the current speed
    this.mode = 'paused'; // 'paused' | 'playing' | 'to-end'
    this.finished = false;
    this.onReset?.(this.sim);
    this.emit();
  }

  setSpeed(id) {
    this.speed = SPEEDS.find((s) => s.id === id) ?? SPEEDS[2];
  }

  play() {
    if (this.finished) this.restart();
    this.mode = 'playing';
    this.schedule();
    this.emit();
  }

  pause() {
    if (this.mode !== 'paused') this.mode = 'paused';
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.emit();
  }

  restart() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.load();
  }

  // Reveals exactly one more event (running the core for it when the queue is empty).
  // Returns the number revealed: 1, or 0 at the end.
  step() {
    this.pause();
    if (!this.guard(() => this.fill(1))) return 0;
    const event = this.take();
    this.clock = event.t;
    this.onReveal?.([event], this.revealed - 1);
    this.checkEnd();
    this.emit();
    return 1;
  }

  // Runs to the end as fast as the frame budget allows, showing all of it. Resolves when done.
  runToEnd() {
    if (this.finished) return Promise.resolve();
    this.mode = 'to-end';
    this.schedule();
    this.emit();
    return this.whenFinished();
  }

  whenFinished() {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  state() {
    return {
      mode: this.mode,
      clock: this.clock,
      revealed: this.revealed,
      finished: this.finished,
      speed: this.speed.id,
    };
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.sim?.free();
    this.sim = null;
  }

  // ---- internals ----

  // Runs core work; an exception from the core (a runner limit) stops the player instead of
  // escaping from an animation frame.
  guard(work) {
    try {
      return work();
    } catch (err) {
      this.mode = 'paused';
      this.onError?.(err);
      for (const resolve of this.waiters.splice(0)) resolve();
      return false;
    }
  }

  emit() {
    this.onState?.(this.state());
  }

  schedule() {
    if (this.frame) return;
    let last = performance.now();
    const tick = (now) => {
      this.frame = 0;
      const dt = Math.min(now - last, 100); // a background tab must not jump ahead
      last = now;
      this.guard(() => this.advance(dt));
      if (this.mode !== 'paused' && !this.finished) this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  // Makes sure at least n events wait in the queue, running the core as needed (and, with a
  // deadline, only while time is left). Returns false when the run has no more events.
  fill(n, deadline = Infinity) {
    for (;;) {
      const waiting = this.queue.length - this.head;
      if (waiting >= n) return true;
      if (this.sim.traceLength() > this.revealed + waiting) {
        this.fetch();
      } else if (this.sim.done() || performance.now() > deadline) {
        return false;
      } else {
        this.sim.stepEvents(Math.max(n, CHUNK));
      }
    }
  }

  fetch() {
    if (this.head > 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    for (const event of this.sim.traceSince(this.revealed + this.queue.length - this.head, FETCH)) {
      this.queue.push(event);
    }
  }

  take() {
    const event = this.queue[this.head];
    this.head += 1;
    this.revealed += 1;
    return event;
  }

  advance(dt) {
    const deadline = performance.now() + this.budgetMs;
    const first = this.revealed;
    const shown = [];
    if (this.mode === 'to-end' || this.speed.eventsPerSec === Infinity) {
      // The deadline is checked per event too: fill() answers true while events are queued, and
      // a queue can hold far more than one frame's worth.
      while (performance.now() <= deadline && this.fill(1, deadline)) shown.push(this.take());
      if (shown.length) this.clock = shown[shown.length - 1].t;
    } else if (this.mode === 'playing') {
      this.allowance += (dt * this.speed.eventsPerSec) / 1000;
      this.clock += (dt * this.speed.msPerSec) / 1000;
      while (this.allowance >= 1 && this.fill(1, deadline)) {
        const next = this.queue[this.head];
        if (next.t > this.clock) break;
        shown.push(this.take());
        this.allowance -= 1;
      }
      const next = this.queue[this.head];
      if (next && next.t < this.clock) {
        // Held back by the event rate: virtual time waits at the burst's instant.
        this.clock = next.t;
      } else {
        // Waiting for the clock: unused allowance must not pile up into a later flood.
        this.allowance = Math.min(this.allowance, 1);
      }
    }
    if (shown.length) this.onReveal?.(shown, first);
    this.checkEnd();
    this.emit();
  }

  checkEnd() {
    if (this.finished || !this.sim.done() || this.sim.traceLength() > this.revealed) return;
    this.finished = true;
    this.mode = 'paused';
    this.clock = this.sim.summary().endedAtMs ?? this.clock;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
