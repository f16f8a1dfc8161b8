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
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.ev === 'end') ended.add(e.stream);
    if (e.ev !== 'pause') continue;
    const fact = { index: i, stream: e.stream, t: e.t, kind: ended.has(e.stream) ? 'end' : 'backpressure', reads: 0 };
    fact.maxRl = null;
    for (let k = i + 1; k < events.length; k++) {
      const f = events[k];
      if (f.stream !== e.stream) continue;
      if (f.ev === 'resume') break;
      if (f.ev === 'read') fact.reads += 1;
      if (f.rl !== undefined && (fact.maxRl === null || f.rl > fact.maxRl)) fact.maxRl = f.rl;
    }
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
