// Runs of the core away from the page's main thread: one Worker (core-worker.js) per run,
// started from the page's compiled Module, terminated when the run ends, is stopped, traps or
// passes the page's wall-time limit. Terminating is what makes Stop immediate and what gives
// a large run's wasm memory back.
//
//   runInBackground(scenario, {trace, signal, onProgress})  -> { result, ms, events }
//   new RunSource(scenario)   a traced run pulled a batch of events at a time (the Player's)
//
// Where no Worker can be had (the offline file from file://, an element embedded from another
// origin), the same work runs on the main thread a slice per frame: a macrotask cannot be
// sliced there, so those runs stop at MAX_EVENTS_HERE events (limits.js).
import { coreMemory, coreModule, loadCore, runInSlices } from './core.js';
import {
  CoreTrapError,
  LimitError,
  MAX_EVENTS_HERE,
  MAX_RUN_MS,
  MAX_SHOWN_SAMPLES,
  StoppedError,
  traceCap,
  traceLimitMessage,
  wallLimitMessage,
} from './limits.js';
import { eventOf, TraceReader } from './trace-columns.js';

const PULL = 2048; // events per message from the Worker: one message stays a few ms to read
const AHEAD = 8192; // events fetched ahead of what the player has shown
const PULL_MS = 15_000; // one pull steps at most one trace's worth: far below this
let workersUsable = true;

// The Worker script, where this page may start it: a Worker must come from the page's own
// origin, so an element embedded from another origin has none (a blob: stub would need the
// host's CSP to allow it, and logs an error where it does not). The iframe (embed.html) has.
function workerUrl() {
  const url = new URL('./core-worker.js', import.meta.url);
  return url.origin === location.origin ? url : null;
}

// One Worker with the core, and the requests waiting on it.
class CoreWorker {
  // A started Worker, or null where none can be had.
  static async start() {
    if (!workersUsable || typeof Worker !== 'function' || !/^https?:$/.test(location.protocol)) return null;
    const url = workerUrl();
    const module = url && (await coreModule());
    if (!module) return null;
    let cw;
    try {
      cw = new CoreWorker(new Worker(url, { type: 'module' }));
      await cw.request('init', { module }, { wallMs: PULL_MS });
      return cw;
    } catch {
      cw?.kill();
      workersUsable = false;
      return null;
    }
  }

  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.next = 1;
    this.dead = null;
    worker.onmessage = ({ data }) => this.receive(data);
    // The Worker died (out of memory, a script that would not load): every request fails.
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.kill(new Error(`the core's Worker stopped (${event.message || 'it could not run'})`));
    };
  }

  // Resolves with the reply's data; rejects with the core's Error, a LimitError (wallMs
  // passed), a CoreTrapError, or the reason given to kill().
  request(op, body = {}, { wallMs, onProgress, onPartial } = {}) {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = wallMs ? setTimeout(() => this.kill(new LimitError(wallLimitMessage(wallMs))), wallMs) : 0;
      this.pending.set(id, { resolve, reject, timer, onProgress, onPartial });
      try {
        this.worker.postMessage({ id, op, ...body });
      } catch (err) {
        // Data that cannot be cloned (a function in a scenario object): say so by name.
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new Error(`the scenario is not plain JSON data (${err.message})`));
      }
    });
  }

  receive(data) {
    const p = this.pending.get(data.id);
    if (!p) return;
    if (data.progress) return p.onProgress?.(data.progress);
    if (data.partial) return p.onPartial?.(data.partial);
    this.pending.delete(data.id);
    clearTimeout(p.timer);
    if (data.error === undefined) return p.resolve(data);
    if (data.trap) {
      // This instance is unusable: the Worker goes, the next run gets a fresh one.
      const err = new CoreTrapError({ name: 'RuntimeError', message: data.error });
      p.reject(err);
      this.kill(err);
    } else p.reject(Object.assign(new Error(data.error), { limit: data.limit }));
  }

  kill(reason = new StoppedError()) {
    if (this.dead) return;
    this.dead = reason;
    this.worker.terminate();
    this.onDeath?.(reason);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }
}

// The next run's Worker, started when a traced run has been read to its end: a new thread given
// the core's module is most of what Step waits for after a finished run (it starts the run
// again). One at most, each used once; none where Workers cannot be had (start() is null).
let spare = null;
function prepareSpare() {
  spare ??= CoreWorker.start().catch(() => null);
}
async function takeWorker() {
  const ready = spare;
  spare = null;
  const cw = ready && (await ready);
  return cw && !cw.dead ? cw : CoreWorker.start();
}

// Checks the scenario on the main thread first (quick: nesting is refused before parsing), so
// a broken one never reaches a Worker and its message names the field.
async function checked(scenario) {
  const core = await loadCore();
  const message = core.validateScenario(scenario);
  if (message) throw new Error(message);
  return core;
}

// Counts a run's events with the trace off, up to cap + 1 (the core stops there even inside a
// macrotask), on the main thread a slice per frame (no Worker).
async function countHere(core, scenario, cap) {
  const sim = new core.Simulation(scenario, { trace: false });
  sim.setEventBudget(cap);
  try {
    for (;;) {
      const start = performance.now();
      while (!sim.done() && performance.now() - start < 8) sim.stepMacrotasks(1);
      if (sim.done()) return sim.eventCount();
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    }
  } catch (err) {
    if (sim.eventCount() > cap) return sim.eventCount();
    throw err;
  } finally {
    sim.free();
  }
}

// Runs a scenario to its end away from the page: in its own Worker where there is one, else a
// slice per frame. options: trace (default true, as runScenario), signal (an AbortSignal:
// abort() stops it at once), onProgress({events, t}), maxSamples, wallMs.
// Resolves to { result, ms, events }; rejects with the core's Error or a LimitError.
export async function runInBackground(scenario, options = {}) {
  const trace = options.trace !== false;
  const wallMs = options.wallMs ?? MAX_RUN_MS;
  const core = await checked(scenario);
  const cap = traceCap(scenario).events;
  options.signal?.throwIfAborted();
  const cw = await takeWorker();
  if (!cw) {
    if (trace && (await countHere(core, scenario, cap)) > cap)
      throw new LimitError(traceLimitMessage(scenario, cap + 1, { exact: false }));
    return runInSlices(scenario, { trace }, { maxEvents: MAX_EVENTS_HERE });
  }
  const stop = () => cw.kill(new StoppedError());
  options.signal?.addEventListener('abort', stop);
  try {
    const data = await cw.request(
      'run',
      { scenario, trace, cap, maxSamples: options.maxSamples ?? 0 },
      { wallMs, onProgress: options.onProgress },
    );
    return { result: data.result, ms: data.ms, events: data.events };
  } catch (err) {
    if (err.limit) throw new LimitError(traceLimitMessage(scenario, err.limit.events, { exact: false }));
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    cw.kill();
  }
}

// One Worker kept for a series of runs (a sweep: each value traced once, for its work and
// its virtual time), closed by the caller. Where there is no Worker the runs go on the main thread.
export class CoreSession {
  static async open() {
    const session = new CoreSession();
    session.worker = await takeWorker();
    session.core = await loadCore();
    return session;
  }

  // The whole result; with the trace on, a LimitError past the page's trace limits (or past
  // `cap` events, for a caller that only counts the trace and never draws it).
  async run(scenario, { trace = true, cap = traceCap(scenario).events } = {}) {
    const message = this.core.validateScenario(scenario);
    if (message) throw new Error(message);
    if (!this.worker) {
      if (trace && (await countHere(this.core, scenario, cap)) > cap)
        throw new LimitError(traceLimitMessage(scenario, cap + 1, { exact: false }));
      return (await runInSlices(scenario, { trace }, { maxEvents: MAX_EVENTS_HERE })).result;
    }
    try {
      const data = await this.worker.request('run', { scenario, trace, cap }, { wallMs: MAX_RUN_MS });
      return data.result;
    } catch (err) {
      if (err.limit) throw new LimitError(traceLimitMessage(scenario, err.limit.events, { exact: false }));
      throw err;
    }
  }

  close() {
    this.worker?.kill();
  }
}

// A run the Player shows event by event. Its events come in batches from a Worker (or from
// the main thread in slices where there is none); the player takes them one by one.
//
//   info: Promise of { kind: 'traced', events } or { kind: 'over', events } (more events than
//         the page traces: the run goes on with the trace off, and `untraced` resolves to
//         { result, ms, events })
//   available(), take(max), bufferedAt(i), want(), arrival(): what has come, and asking for more
//   done, summary, samples (when done), error (what stopped it), stop()
export class RunSource {
  constructor(scenario, { onProgress } = {}) {
    this.scenario = scenario;
    this.onProgress = onProgress;
    this.cap = traceCap(scenario);
    this.batches = []; // batches of trace columns (trace-columns.js) not yet wholly taken
    this.received = 0;
    this.taken = 0;
    this.done = false;
    this.summary = null;
    this.samples = null;
    this.error = null;
    this.inflight = false;
    this.waiters = [];
    this.worker = null;
    this.local = null; // the main-thread Simulation where there is no Worker
    this.untraced = new Promise((resolve, reject) => {
      this.settleUntraced = { resolve, reject };
    });
    this.untraced.catch(() => {});
    this.info = this.open();
    this.info.catch((err) => this.fail(err));
  }

  async open() {
    const core = await checked(this.scenario);
    this.kinds = Array.from(core.traceKinds());
    this.segmentEvents = core.traceSegmentEvents();
    this.worker = await takeWorker();
    if (this.error) {
      this.worker?.kill();
      throw this.error;
    }
    if (!this.worker) return this.openHere(core);
    // A trap or a crash between requests still ends the run, with its reason.
    this.worker.onDeath = (reason) => {
      if (!(reason instanceof StoppedError)) this.fail(reason);
    };
    let over = null;
    const opened = this.worker.request(
      'open',
      { scenario: this.scenario, cap: this.cap.events, maxSamples: MAX_SHOWN_SAMPLES },
      {
        wallMs: MAX_RUN_MS,
        onProgress: this.onProgress,
        onPartial: (partial) => {
          over = partial;
          this.resolveOver?.(partial);
        },
      },
    );
    // Either the traced run is ready, or the count passed the cap (and the run goes on).
    const first = await Promise.race([
      opened,
      new Promise((resolve) => {
        this.resolveOver = resolve;
      }),
    ]);
    if (first.kind === 'traced') {
      this.names = first.streams;
      return first;
    }
    opened.then(
      (reply) => {
        this.done = true;
        this.worker.kill();
        this.settleUntraced.resolve(reply);
        this.wake();
      },
      (err) => this.fail(err),
    );
    return over;
  }

  async openHere(core) {
    const events = await countHere(core, this.scenario, this.cap.events);
    if (this.error) throw this.error;
    if (events > this.cap.events) {
      runInSlices(this.scenario, { trace: false }, { maxEvents: MAX_EVENTS_HERE }).then(
        (reply) => {
          if (this.error) return;
          this.done = true;
          this.settleUntraced.resolve(reply);
          this.wake();
        },
        (err) => this.fail(err),
      );
      return { kind: 'over', events };
    }
    this.local = new core.Simulation(this.scenario, { trace: true });
    this.names = Array.from(this.local.streams());
    this.reader = new TraceReader(this.local, coreMemory(), this.kinds, this.segmentEvents);
    return { kind: 'traced', events };
  }

  available() {
    return this.received - this.taken;
  }

  // Up to max events, in order, as objects (made here, from the batch's columns); their
  // buffered rows stay readable until release().
  take(max) {
    const out = [];
    for (const b of this.batches) {
      const from = this.taken - b.first;
      if (from >= b.n) continue;
      const n = Math.min(max - out.length, b.n - from);
      for (let k = 0; k < n; k++) out.push(eventOf(b, from + k, this.kinds));
      this.taken += n;
      if (out.length >= max) break;
    }
    this.want();
    return out;
  }

  // Forgets the batches wholly taken (their events were shown and recorded).
  release() {
    while (this.batches.length && this.batches[0].first + this.batches[0].n <= this.taken) this.batches.shift();
  }

  // The next event to take (there must be one: available() > 0).
  peek() {
    for (const b of this.batches) {
      const from = this.taken - b.first;
      if (from < b.n) return eventOf(b, from, this.kinds);
    }
    return undefined;
  }

  bufferedAt(i) {
    for (const b of this.batches) {
      if (i < b.first || i >= b.first + b.n) continue;
      const n = b.names.length;
      const row = {};
      for (let s = 0; s < n; s++) row[b.names[s]] = b.rows[(i - b.first) * n + s];
      return row;
    }
    return {};
  }

  // Resolves at the next batch, the end, or an error.
  arrival() {
    if (this.error || this.done || this.available()) return Promise.resolve();
    this.want();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  // Asks for the next batch when fewer than AHEAD events wait and none is on its way.
  want() {
    if (this.inflight || this.done || this.error || this.available() >= AHEAD) return;
    this.info.then(
      (info) => {
        if (info.kind !== 'traced' || this.inflight || this.done || this.error) return;
        this.inflight = true;
        const pulled = this.local ? this.pullHere() : this.worker.request('pull', { max: PULL }, { wallMs: PULL_MS });
        pulled.then(
          (data) => this.arrive(data),
          (err) => this.fail(err),
        );
      },
      () => {},
    );
  }

  // The main thread's pull: one batch in its own task (a macrotask at most the trace cap).
  pullHere() {
    return new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
      const sim = this.local;
      while (!sim.done() && sim.traceLength() - this.received < PULL) sim.stepEvents(256);
      const batch = this.reader.read(this.received, PULL);
      const done = sim.done() && this.received + batch.n >= sim.traceLength();
      const data = { batch, done, summary: done ? sim.summary() : null, samples: done ? sim.samples() : null };
      if (done) {
        sim.free();
        this.local = null;
        this.reader = null;
      }
      return data;
    });
  }

  arrive(data) {
    this.inflight = false;
    if (this.error) return;
    // The batch starts where the last one ended (the reader and this count move together).
    this.batches.push({ ...data.batch, first: this.received });
    this.received += data.batch.n;
    if (data.done) {
      this.done = true;
      this.summary = data.summary;
      this.samples = data.samples;
      this.worker?.kill(); // its memory goes back now
      // Step after the end starts the run again: its Worker is made now, in a task of its own
      // (starting a Worker is main-thread work, and this task draws the run's last events).
      if (this.worker) setTimeout(prepareSpare, 0);
    }
    this.wake();
    this.want();
  }

  wake() {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  fail(err) {
    if (this.error) return;
    this.error = err;
    this.worker?.kill(err);
    this.local?.free();
    this.local = null;
    this.settleUntraced.reject(err);
    this.wake();
  }

  // Ends the run at once: the Worker is terminated mid-macrotask if need be.
  stop(reason = new StoppedError()) {
    this.fail(reason);
  }
}
