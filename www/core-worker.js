// The core in a Web Worker: every run of the page goes here, one Worker per run, so the
// page's main thread never waits on the core (one macrotask can be a million events, and the
// core cannot stop inside one). The page stops a run at once by terminating its Worker, which
// also gives back all the wasm memory a large run grew.
//
// Messages in (each with an id; the reply carries it):
//   { op: 'init', module }            the page's compiled WebAssembly.Module (one compile)
//   { op: 'open', scenario, cap, maxSamples }
//       counts the run's events with the trace off; up to `cap` events: a traced Simulation
//       is made and the reply is { kind: 'traced', events, streams, highWaterMarks }; past it:
//       { kind: 'over', events } at once, then the run goes on with the trace off
//       ({ progress } now and then) and ends with { kind: 'untraced', result, sampled, events,
//       ms }: the result without its samples, which come as columns (sample-columns.js),
//       transferred
//   { op: 'pull', max }               the next at most `max` events of the traced run as a batch
//       of typed arrays read from the core's trace records, with each stream's buffered amount
//       after each (trace-columns.js): { batch, done, summary, samples (when done) }; the
//       batch's arrays are transferred, not copied
//   { op: 'run', scenario, trace, cap, maxSamples }   a whole result ({ result, events, ms });
//       with the trace on, past `cap` events: { error, limit: { events } }
//   { op: 'trap' }                    a test hook: makes the instance trap, as a bug would
// Errors: { error, trap } (trap: a WebAssembly.RuntimeError; the page discards this Worker).
import { initSync, Simulation, traceKinds, traceSegmentEvents } from './pkg/streamlab.js';
import { sampleColumns, sampleTransferables } from './sample-columns.js';
import { TraceReader, transferables } from './trace-columns.js';

const PROGRESS_MS = 250;
let memory = null; // the instance's linear memory, which the trace is read from
let traced = null; // the traced run being pulled
let reader = null;
let sent = 0;

function reply(id, body, transfer = []) {
  self.postMessage({ id, ...body }, transfer);
}

// Counts a run's events with the trace off, stopping at the event after `cap` (the core
// checks its budget per event, so even a macrotask of a million events stops there).
function countUpTo(scenario, cap) {
  const sim = new Simulation(scenario, { trace: false });
  sim.setEventBudget(cap);
  try {
    while (!sim.done()) sim.stepMacrotasks(64);
  } catch (err) {
    if (sim.eventCount() <= cap) throw err; // another limit (samples): the core's message
  }
  const events = sim.eventCount();
  sim.free();
  return events;
}

// Keeps at most `max` samples: one per bucket, the one with the largest total (peaks stay).
function thin(samples, max) {
  if (!max || samples.length <= max) return samples;
  const out = [];
  const per = samples.length / max;
  for (let b = 0; b < max; b++) {
    let best = samples[Math.floor(b * per)];
    for (let i = Math.floor(b * per) + 1; i < Math.floor((b + 1) * per); i++) {
      if (samples[i].total > best.total) best = samples[i];
    }
    out.push(best);
  }
  const last = samples[samples.length - 1];
  if (out[out.length - 1] !== last) out[out.length - 1] = last; // the end state stays
  return out;
}

// Runs a trace-off Simulation to its end, reporting progress; the page's wall-time limit
// ends it from outside (terminate) if it takes too long.
function finishUntraced(id, sim, start, maxSamples) {
  let next = performance.now() + PROGRESS_MS;
  while (!sim.done()) {
    sim.stepMacrotasks(64);
    if (performance.now() > next) {
      reply(id, { progress: { events: sim.eventCount(), t: sim.now() } });
      next = performance.now() + PROGRESS_MS;
    }
  }
  const result = sim.result();
  if (result.samples) result.samples = thin(result.samples, maxSamples);
  return { result, events: sim.eventCount(), ms: performance.now() - start };
}

function open(id, { scenario, cap, maxSamples }) {
  traced?.free();
  traced = null;
  const start = performance.now();
  const events = countUpTo(scenario, cap);
  if (events > cap) {
    reply(id, { partial: { kind: 'over', events } });
    const sim = new Simulation(scenario, { trace: false });
    try {
      const run = finishUntraced(id, sim, start, maxSamples);
      const { samples, ...result } = run.result;
      return { kind: 'untraced', ...run, result, sampled: sampleColumns(samples ?? []) };
    } finally {
      sim.free();
    }
  }
  traced = new Simulation(scenario, { trace: true });
  reader = new TraceReader(traced, memory, Array.from(traceKinds()), traceSegmentEvents());
  sent = 0;
  return { kind: 'traced', events, streams: Array.from(traced.streams()), highWaterMarks: traced.highWaterMarks() };
}

function pull(max) {
  if (!traced) throw new Error('no run is open');
  while (!traced.done() && traced.traceLength() - sent < max) traced.stepEvents(max);
  const batch = reader.read(sent, max);
  sent += batch.n;
  const done = traced.done() && sent >= traced.traceLength();
  const body = { batch, done };
  if (done) {
    body.summary = traced.summary();
    body.samples = traced.samples();
    traced.free();
    traced = null;
    reader = null;
  }
  return { body, transfer: transferables(batch) };
}

function run(id, { scenario, trace, cap, maxSamples }) {
  const start = performance.now();
  let events = 0;
  if (trace) {
    events = countUpTo(scenario, cap);
    if (events > cap) return { error: 'over', limit: { events } };
  }
  const sim = new Simulation(scenario, { trace });
  try {
    if (!trace) return finishUntraced(id, sim, start, maxSamples);
    sim.runToEnd();
    return { result: sim.result(), events: sim.eventCount(), ms: performance.now() - start };
  } finally {
    sim.free();
  }
}

// A real trap, for the tests of recovery: a handle whose pointer lies past the end of memory.
function forceTrap() {
  const scenario = {
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks: 1, chunk: { bytes: 1 } },
    sink: {},
  };
  const sim = new Simulation(scenario, {});
  sim.__wbg_ptr = 0xfffffff0;
  sim.now();
}

self.onmessage = ({ data }) => {
  const { id, op } = data;
  // A Worker that has run something is ended with its run (its memory goes back); the page may
  // keep one more, fresh, for the next run. Tests tell the two apart by this.
  if (op !== 'init') self.ranSomething = true;
  try {
    if (op === 'init') {
      memory = initSync({ module: data.module }).memory;
      reply(id, { ok: true });
    } else if (op === 'open') {
      const body = open(id, data);
      reply(id, body, body.sampled ? sampleTransferables(body.sampled) : []);
    } else if (op === 'pull') {
      const { body, transfer } = pull(data.max);
      reply(id, body, transfer);
    } else if (op === 'run') reply(id, run(id, data));
    else if (op === 'trap') forceTrap();
    else reply(id, { error: `unknown op ${String(op).slice(0, 20)}` });
  } catch (err) {
    reply(id, { error: String(err?.message ?? err), trap: err instanceof WebAssembly.RuntimeError });
  }
};
