// The charts' text alternative: a few sentences with the peaks and the moments of
// backpressure, and a table of the buffered amounts (the core's samples when the scenario
// asks for them, otherwise the state at the end of each virtual millisecond).
import { h } from './dom.js';
import { formatAmount } from './units.js';

const MAX_ROWS = 200;

function list(values) {
  if (values.length <= 8) return values.join(', ');
  return `${values.slice(0, 8).join(', ')} and ${values.length - 8} more`;
}

// Sentences describing what the chart shows.
export function chartSentences(rec, unit = 'bytes', summary = null) {
  if (!rec?.length) return ['No events yet.'];
  const out = [];
  const amount = (v) => formatAmount(v, unit);
  // "Max buffered": one definition everywhere, the summary's maxBufferedBytes (all streams
  // together, after any event), which is the highest point of the chart's total.
  const top = rec.total.reduce((m, v) => Math.max(m, v), 0);
  if (summary && !rec.sampled) out.push(`Max buffered, all streams together: ${amount(summary.maxBufferedBytes)}.`);
  else if (summary)
    out.push(
      `Max buffered, all streams together: ${amount(summary.maxBufferedBytes)} (the core checks after every event); the highest sample shows ${amount(top)}.`,
    );
  for (const s of rec.streams) {
    const values = rec.buffered[s];
    let peak = 0;
    let at = 0;
    values.forEach((v, i) => {
      if (v > peak) {
        peak = v;
        at = i;
      }
    });
    const hwm = rec
      .hwmLines()
      .filter((l) => l.stream === s)
      .map((l) => `${l.label} ${amount(l.value)}`)
      .join(', ');
    const where = rec.sampled ? `in the sample at ${rec.t[at]} ms` : `at ${rec.t[at]} ms (event #${rec.index[at]})`;
    out.push(`${s}: peak ${amount(peak)} buffered ${where}${hwm ? `; ${hwm}` : ''}.`);
  }
  if (rec.sampled) {
    out.push(
      `${rec.length} samples, one every sampling interval of virtual time; the trace was off, so there are no per-event markers or counts.`,
    );
    return out;
  }
  // Per stream, as the summary counts them (its drains are the sink's alone).
  const moments = (pred, what) => {
    const byStream = new Map();
    for (const e of rec.events) {
      if (!pred(e)) continue;
      if (!byStream.has(e.stream)) byStream.set(e.stream, []);
      byStream.get(e.stream).push(`${e.t} ms`);
    }
    if (!byStream.size) return `${what}: never.`;
    return `${what}: ${[...byStream].map(([s, ts]) => `${s} ${ts.length} times, at ${list(ts)}`).join('; ')}.`;
  };
  out.push(moments((e) => e.ev === 'drain', "'drain' events"));
  out.push(moments((e) => e.ev === 'write' && e.ret === false, 'write() returned false'));
  // The same events the chart marks as "pause (or the loop waits)".
  out.push(moments((e) => e.ev === 'pause', "'pause' events"));
  if (rec.events.some((e) => e.ev === 'wait'))
    out.push(moments((e) => e.ev === 'wait', "The write loop waited for 'drain'"));
  const c = rec.running;
  out.push(
    `Counts so far: ${c.reads} _read() calls, ${c.writes} write() calls, ${c.writeCalls} _write() calls, ${c.drains} 'drain' events over all streams.`,
  );
  return out;
}

// Rows of [t, per-stream..., total]: samples if any (given, or the recorder's own when it
// was made from them), else the last state of each ms.
function rows(rec, samples) {
  if (samples?.length) {
    return samples.map((s) => [s.t, ...rec.streams.map((n) => s.buffered?.[n] ?? 0), s.total]);
  }
  if (rec.sampled) return rec.t.map((t, i) => [t, ...rec.streams.map((s) => rec.buffered[s][i]), rec.total[i]]);
  const out = [];
  for (let i = 0; i < rec.length; i++) {
    if (i + 1 < rec.length && rec.t[i + 1] === rec.t[i]) continue;
    out.push([rec.t[i], ...rec.streams.map((s) => rec.buffered[s][i]), rec.total[i]]);
  }
  return out;
}

export function chartTable(rec, samples, unit = 'bytes') {
  if (!rec) return h('p', {}, 'No run yet.');
  const all = rows(rec, samples);
  const shown = all.length > MAX_ROWS ? all.slice(0, MAX_ROWS) : all;
  const caption =
    samples?.length || (rec.sampled && rec.length)
      ? `The core's samples: ${unit} buffered per stream`
      : `${unit} buffered per stream at the end of each virtual millisecond with events`;
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0' },
    h(
      'table',
      { class: 'data-table' },
      h('caption', {}, caption, all.length > MAX_ROWS ? ` (first ${MAX_ROWS} of ${all.length} rows)` : ''),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 't (ms)'),
          rec.streams.map((s) => h('th', { scope: 'col' }, s)),
          h('th', { scope: 'col' }, 'total'),
        ),
      ),
      h(
        'tbody',
        {},
        shown.map((r) =>
          h(
            'tr',
            {},
            r.map((v, k) => (k ? h('td', {}, v) : h('th', { scope: 'row' }, v))),
          ),
        ),
      ),
    ),
  );
}
