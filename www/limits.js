// What a run may cost in the page, in the units that cost: events, bytes of trace kept, and
// wall time. Chunk counts say little: 20,000 one-byte chunks through 16 transforms is 1.4
// million events. Every run from every entry point is checked against these, and a message
// past a limit says which limit applies and what to change.

// Events traced and shown one by one (the charts, the timeline, the player): a chart redraw
// costs in proportion to them (uPlot draws every point), and past about this many one redraw
// alone takes longer than a frame.
export const MAX_TRACE_EVENTS = 20_000;
// Bytes the trace of one run may take, the core's copy and the page's together: per event, its
// record (~160 bytes in the core and the page) and each stream's buffered amount (8 bytes in
// each). With many streams this binds before the event limit does.
export const MAX_TRACE_BYTES = 8 * 1024 * 1024;
const BYTES_PER_EVENT = 160;
const BYTES_PER_STREAM = 16;
// Real time one run may take in a Worker before the page stops it (trace off; the core's own
// budget of 100,000,000 events usually comes first).
export const MAX_RUN_MS = 20_000;
// Where no Worker can be had, a run goes on the main thread a slice per frame; one macrotask
// cannot be cut there, so runs there stop after this many events (the 10 GiB lesson run is
// 1.3 million, in small macrotasks; one macrotask this long would hold the page ~1 s).
export const MAX_EVENTS_HERE = 5_000_000;
// Samples handed to a chart: more points than pixels only cost time. A run's samples are
// thinned to this many in the Worker, each kept bucket's largest total (the peaks stay).
export const MAX_SHOWN_SAMPLES = 20_000;

// The streams of a scenario: source, transforms, sink (or the sink alone for a write loop).
export function streamCount(scenario) {
  if (scenario?.connect === 'write-loop') return 1;
  const transforms = Array.isArray(scenario?.transforms) ? scenario.transforms.length : 0;
  return transforms + 2;
}

export function traceBytes(events, streams) {
  return events * (BYTES_PER_EVENT + BYTES_PER_STREAM * streams);
}

// The most events of this scenario the page traces, and which limit sets it.
export function traceCap(scenario) {
  const streams = streamCount(scenario);
  const byBytes = Math.floor(MAX_TRACE_BYTES / traceBytes(1, streams));
  return byBytes < MAX_TRACE_EVENTS
    ? { events: byBytes, by: 'bytes', streams }
    : { events: MAX_TRACE_EVENTS, by: 'events', streams };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mib = (bytes) => `${Math.round(bytes / (1024 * 1024))} MiB`;

// What the learner can change to bring the run under the cap: the field that drives it, with
// a figure only when the run's count is known (`events` exact).
function howToShrink(scenario, events, cap, exact) {
  const loop = scenario?.connect === 'write-loop';
  const field = loop ? 'writeLoop.items' : 'source.chunks';
  const count = loop ? scenario?.writeLoop?.items : scenario?.source?.chunks;
  const transforms = scenario?.transforms?.length ?? 0;
  const parts = [];
  if (exact && Number.isFinite(count) && count > 0 && events > 0) {
    const fits = Math.max(1, Math.floor((count * cap.events) / events));
    parts.push(`${field} at most about ${fmt(fits)} (now ${fmt(count)})`);
  } else parts.push(`a smaller ${field}`);
  if (!loop && transforms > 1) parts.push(`fewer transforms (now ${transforms})`);
  return parts.join(' or ');
}

// The sentence for a run with more events than the page traces. `events`: the run's count
// (exact when `exact`, else the count reached when the page stopped counting); `untraced`:
// the run goes on with the trace off (an experiment's Run), else it is refused (a sweep, the
// API with the trace on).
export function traceLimitMessage(scenario, events, { exact = true, untraced = false } = {}) {
  const cap = traceCap(scenario);
  const count = exact ? `${fmt(events)} events` : `more than ${fmt(cap.events)} events`;
  const which =
    cap.by === 'bytes'
      ? `its trace would take more than the page's ${mib(MAX_TRACE_BYTES)} for traces (${cap.streams} streams: at most ${fmt(cap.events)} events)`
      : `the page traces at most ${fmt(MAX_TRACE_EVENTS)} events`;
  const then = untraced
    ? ' It runs with the trace off instead: the summary and samples, no event-by-event view.'
    : ' It was not run with the trace on.';
  return `This run has ${count}; ${which}.${then} To trace it, use ${howToShrink(scenario, events, cap, exact)}.`;
}

export function wallLimitMessage(ms = MAX_RUN_MS) {
  return `Stopped after ${fmt(ms / 1000)} s of real time, the page's limit for one run. Use fewer chunks or items, or fewer transforms.`;
}

// An Error whose message says which limit stopped a run (the page shows it as is).
export class LimitError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LimitError';
  }
}

// A run the learner stopped (Stop, Restart, new parameters).
export class StoppedError extends Error {
  constructor(message = 'Stopped.') {
    super(message);
    this.name = 'StoppedError';
  }
}

// The core's wasm instance trapped (WebAssembly.RuntimeError); it has been replaced.
export class CoreTrapError extends Error {
  constructor(err) {
    super(
      `The core failed (WebAssembly ${err?.name ?? 'RuntimeError'}: ${err?.message ?? err}) and was replaced by a fresh one: run again.`,
    );
    this.name = 'CoreTrapError';
  }
}
