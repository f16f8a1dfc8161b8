// The adapter between the engine's result and the experiment views: a Recorder (recorder.js)
// for a program's run. Today's engine returns output only; the stream classes will add
// `streams`, `trace`, `samples` and `summary`. This is the one place that reads those fields,
// so wiring their exact format is a change here alone.
import { Recorder } from '../recorder.js';
import { setRole } from '../roles.js';

// A program's stream plays the role of its kind on every chart: a Readable is a source, a
// Writable a sink, a Transform or Duplex sits between.
const ROLE_OF_KIND = { readable: 'source', writable: 'sink', transform: 'transform', duplex: 'transform' };

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

// The line of the program behind trace event i (0 when Node's own code was running, or the
// engine gave no lines): `lines` holds runs, from event `from[k]` on the line is `line[k]`.
export function lineAt(result, i) {
  const from = result?.lines?.from;
  const line = result?.lines?.line;
  if (!Array.isArray(from) || !Array.isArray(line) || i < 0) return 0;
  let lo = 0;
  let hi = from.length; // first run starting after i
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (from[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (line[lo - 1] ?? 0);
}

// bufferedAt(i) for the Recorder: the engine's `bufferedRows` (a Float64Array, event-major,
// streams in `streams` order) read into one object reused for every event (the Recorder
// copies the values out at once), or `buffered` (one object per event). Null when the amounts
// do not cover every event.
function bufferedAtOf(result, streams, events) {
  const rows = result.bufferedRows;
  if (ArrayBuffer.isView(rows) && rows.length === events * streams.length) {
    const n = streams.length;
    const row = {};
    return (i) => {
      for (let k = 0; k < n; k++) row[streams[k]] = rows[i * n + k];
      return row;
    };
  }
  if (Array.isArray(result.buffered) && result.buffered.length === events) return (i) => result.buffered[i] ?? {};
  return null;
}

// A Recorder for a result, or null when it has nothing to draw. Every amount comes from the
// engine: a traced run needs each stream's buffered amount after each event (`buffered`, one
// object per event, as Simulation.bufferedAt gives it); without those, the samples (taken by
// the core at fixed virtual times) are drawn. No amount is reconstructed here from the trace.
export function recorderOf(result) {
  if (!result || typeof result !== 'object') return null;
  for (const s of result.streams ?? []) {
    if (s && typeof s === 'object' && ROLE_OF_KIND[s.kind]) setRole(String(s.name), ROLE_OF_KIND[s.kind]);
  }
  const hwms = marksOf(result);
  const streams = Array.isArray(result.streams) ? result.streams.map(nameOf) : [];
  const trace = Array.isArray(result.trace) ? result.trace : [];
  const at = bufferedAtOf(result, streams, trace.length);
  if (streams.length && trace.length && at) {
    const rec = new Recorder(streams, hwms);
    rec.add(trace, 0, at);
    return rec;
  }
  if (Array.isArray(result.samples) && result.samples.length) return Recorder.fromSamples(result.samples, hwms);
  return null;
}
