// Sentences about a run's 'pause' events, read from its trace: which pauses came from
// backpressure and what the paused readable still did (its _read() runs on until its own
// buffer reaches its highWaterMark, and the chunk that crosses the mark is kept whole), and
// which came from the end of the stream (pipe() unpipes a source that ended, and unpiping
// its last destination pauses it: no backpressure involved).
import { formatCount } from './units.js';

// Per pause: { index, stream, t, kind: 'end' | 'backpressure', reads, maxRl } where reads
// counts the stream's _read() calls until its next 'resume' (or the end of the trace), and
// maxRl is the largest readableLength the trace reports for it in that time.
export function pauseFacts(events) {
  const ended = new Set();
  const out = [];
  const open = new Map(); // stream -> its pauses not yet followed by a 'resume'
  // One pass: a run of 20,000 events has thousands of pauses, and a scan ahead from each
  // one cost tens of milliseconds at the end of a run.
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const facts = open.get(e.stream);
    if (facts && e.ev === 'resume') open.delete(e.stream);
    else if (facts) {
      for (const fact of facts) {
        if (e.ev === 'read') fact.reads += 1;
        if (e.rl !== undefined && (fact.maxRl === null || e.rl > fact.maxRl)) fact.maxRl = e.rl;
      }
    }
    if (e.ev === 'end') ended.add(e.stream);
    if (e.ev !== 'pause') continue;
    const fact = { index: i, stream: e.stream, t: e.t, kind: ended.has(e.stream) ? 'end' : 'backpressure', reads: 0 };
    fact.maxRl = null;
    if (!open.has(e.stream)) open.set(e.stream, []);
    open.get(e.stream).push(fact);
    out.push(fact);
  }
  return out;
}

// Plain sentences for the chart's caption; hwms: {stream: {readable}} for the mark.
export function explainPauses(events, hwms = {}) {
  const facts = pauseFacts(events);
  const lines = [];
  const fromEnd = facts.filter((f) => f.kind === 'end');
  for (const f of fromEnd) {
    lines.push(
      `The 'pause' of ${f.stream} at ${f.t} ms is not backpressure: ${f.stream} had ended, pipe() unpiped it, and unpiping its last destination pauses a readable.`,
    );
  }
  const first = facts.find((f) => f.kind === 'backpressure');
  if (first) {
    const hwm = hwms[first.stream]?.readable;
    const over = hwm !== undefined && first.maxRl !== null && first.maxRl > hwm;
    lines.push(
      first.reads
        ? `After its first 'pause' (${first.t} ms), ${first.stream}'s _read() was still called ${formatCount(first.reads)} more time${first.reads === 1 ? '' : 's'} before it resumed: a pause stops the 'data' events, not the reading, which goes on until ${first.stream}'s own buffer reaches its highWaterMark${over ? ` (it reached ${first.maxRl} against a mark of ${hwm}: the chunk that crosses the mark is kept whole)` : ''}.`
        : `After its first 'pause' (${first.t} ms), ${first.stream}'s _read() was not called again before it resumed: its buffer was already at its highWaterMark.`,
    );
  }
  return lines;
}
