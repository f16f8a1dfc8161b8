// Challenge "A narrow middle": pure logic. A Transform with a tiny highWaterMark sits between
// a fast source and a fast sink; the page runs the pipeline once per transform highWaterMark
// and the learner says what happened to throughput and why. The right answers are not
// stored anywhere: they are worked out from the sweep's own counts (see truth()).
import { readNumber, readAll } from './numbers.js';
import { formatCount } from './format.js';

export const ID = 'narrow-transform';
export const TITLE = 'A narrow middle';
export const DEFAULT_SIZES = [1, 16, 256, 4096, 65536];
export const MAX_CHUNKS = 20_000; // every size is traced once to count the calls
export const DEFAULTS = {
  sizes: DEFAULT_SIZES.join(', '),
  chunks: '2000',
  chunkBytes: '64',
  transformDelay: '',
  sinkDelay: '',
};

export const HINTS = [
  "Compare the first and last rows of the table: did the source's _read() run more often with a highWaterMark of 1?",
  "Look at the transform's write() → false and 'drain' columns. A chunk that passes straight through never waits in the transform's buffer, whatever its highWaterMark.",
  "Throughput here is bytes per unit of Node's time: the virtual time the run took. The calls and drains are the work around it; they can change while the time does not.",
  'Make the transform asynchronous (its time per chunk: 0, one timer) and run the sweep again: now every chunk waits in the narrow buffer. Does your answer still hold?',
];

export const THROUGHPUT = [
  {
    id: 'falls',
    label: 'It falls: with a tiny highWaterMark the same bytes take clearly more virtual time.',
  },
  { id: 'same', label: 'It stays the same: the virtual time does not change (the work around it may).' },
  { id: 'rises', label: 'It rises: with a tiny highWaterMark the same bytes take clearly less virtual time.' },
];

export const WHY = [
  {
    id: 'straight-through',
    label:
      "Each chunk went straight through the transform: the source's _read() ran once per chunk at every size and the transform rarely asked the source to wait.",
  },
  {
    id: 'drain-per-chunk',
    label:
      "The tiny transform was full after nearly every chunk: write() returned false and a 'drain' had to follow, so the source paused and resumed once per chunk.",
  },
  {
    id: 'more-reads',
    label: "The tiny highWaterMark made the source's _read() run many more times than with a large one.",
  },
  { id: 'dropped', label: 'Bytes that did not fit into the tiny buffer were dropped, so there was less to write.' },
  { id: 'none', label: 'None of these fits the data.' },
];

export function readInput(form) {
  const { values, errors } = readAll({
    chunks: [form.chunks, { min: 1, max: MAX_CHUNKS, integer: true, label: 'Chunks' }],
    chunkBytes: [form.chunkBytes, { min: 1, max: 1024 * 1024, integer: true, label: 'Chunk size (bytes)' }],
    transformDelay: [
      form.transformDelay,
      { min: 0, max: 1000, optional: true, label: "Transform's time per chunk (ms)" },
    ],
    sinkDelay: [form.sinkDelay, { min: 0, max: 1000, optional: true, label: "Sink's time per chunk (ms)" }],
  });
  const sizes = [];
  for (const part of String(form.sizes ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const r = readNumber(part, { min: 0, max: 1 << 30, integer: true, label: 'highWaterMarks' });
    if (r.error) {
      errors.sizes = r.error;
      break;
    }
    if (!sizes.includes(r.value)) sizes.push(r.value);
  }
  if (!errors.sizes && (sizes.length < 2 || sizes.length > 8))
    errors.sizes = 'highWaterMarks: two to eight sizes, separated by commas';
  sizes.sort((a, b) => a - b);
  return { input: { ...values, sizes }, errors };
}

export function scenarioFor(input, hwm) {
  return {
    schema: 'streamlab/scenario@1',
    name: `narrow-${hwm}`,
    connect: 'pipeline',
    source: { chunks: input.chunks, chunk: { bytes: input.chunkBytes }, readDelayMs: null },
    transforms: [{ highWaterMark: hwm, delayMs: input.transformDelay }],
    sink: { delayMs: input.sinkDelay },
  };
}

// The counts of one traced run that explain its cost.
export function countRow(hwm, result) {
  const s = result.summary;
  let writes = 0;
  let transformFalse = 0;
  let drains = 0;
  for (const e of result.trace) {
    if (e.ev === 'write') {
      writes += 1;
      if (e.stream === 't0' && e.ret === false) transformFalse += 1;
    } else if (e.ev === 'drain') drains += 1;
  }
  return {
    hwm,
    readCalls: s.readCalls,
    writes, // write() calls into the transform and into the sink
    transformFalse, // of those into the transform, how many returned false
    drains, // 'drain' events of every stream
    consumed: s.consumed,
    maxBuffered: s.maxBufferedBytes,
    endedAtMs: s.endedAtMs,
    events: result.trace.length,
  };
}

const ratio = (a, b) => (a === b ? 1 : b === 0 ? Infinity : a / b);

// What the data says, from the smallest and the largest size: the throughput answer (from
// virtual time alone: Node's clock, not the simulator's event count), the set of
// explanations that fit, and the facts behind them (for the "not yet" message).
export function truth(rows, chunks) {
  const tiny = rows[0];
  const wide = rows[rows.length - 1];
  const time = ratio(tiny.endedAtMs, wide.endedAtMs);
  const work = ratio(tiny.events, wide.events);
  let throughput = 'same';
  if (time > 1.05) throughput = 'falls';
  else if (time < 0.95) throughput = 'rises';
  const why = new Set();
  const readsSame = rows.every((r) => r.readCalls === tiny.readCalls);
  if (readsSame && tiny.transformFalse <= 0.1 * chunks) why.add('straight-through');
  if (tiny.transformFalse >= 0.5 * chunks) why.add('drain-per-chunk');
  if (tiny.readCalls > 1.5 * wide.readCalls) why.add('more-reads');
  if (tiny.consumed < wide.consumed) why.add('dropped');
  if (!why.size) why.add('none');
  return { throughput, why, time, work, tiny, wide };
}

function describe(t) {
  const { tiny, wide } = t;
  return (
    `At highWaterMark ${tiny.hwm}: ${formatCount(tiny.readCalls)} _read() calls, ${formatCount(tiny.transformFalse)} write() → false into the transform, ${formatCount(tiny.drains)} drains, ${formatCount(tiny.events)} events, ${tiny.endedAtMs} ms virtual. ` +
    `At ${wide.hwm}: ${formatCount(wide.readCalls)}, ${formatCount(wide.transformFalse)}, ${formatCount(wide.drains)}, ${formatCount(wide.events)} events, ${wide.endedAtMs} ms.`
  );
}

// answers: { throughput, why } (option ids, or undefined when not picked).
export function check(answers, rows, chunks) {
  const t = truth(rows, chunks);
  const reasons = [];
  if (!answers.throughput) reasons.push('Pick what happened to throughput.');
  else if (answers.throughput !== t.throughput) {
    const workText = `the tiny size took ${t.tiny.endedAtMs} ms of virtual time and the largest ${t.wide.endedAtMs} ms (${Number.isFinite(t.time) ? `${t.time.toFixed(2)}×` : 'more'}), with ${t.work.toFixed(2)}× the trace events`;
    reasons.push(
      `The sweep does not show that: ${workText}, so throughput ${t.throughput === 'same' ? 'stayed about the same' : t.throughput === 'falls' ? 'fell' : 'rose'}.`,
    );
  }
  if (!answers.why) reasons.push('Pick the explanation that fits the data.');
  else if (!t.why.has(answers.why)) reasons.push(`That explanation does not fit these counts. ${describe(t)}`);
  const passed = reasons.length === 0;
  if (passed) reasons.push(`Right, and the data says so. ${describe(t)}`);
  return { passed, reasons, truth: { throughput: t.throughput, why: [...t.why] } };
}
