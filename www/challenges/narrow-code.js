// Challenge "A narrow middle", the code step: pure logic (no DOM). The learner writes the
// pipeline with a Transform of highWaterMark TRANSFORM_HWM; the page runs THEIR program once
// per size (the number in the `const TRANSFORM_HWM = …;` line replaced), counts what each run
// did from its trace, and checks the learner's two answers against those runs, as the
// explore step's truth() does against its sweep.
import { THROUGHPUT } from './narrow.js';
import { formatCount } from './format.js';
import { unusable, streamsOf, traceOf, tally } from './code-record.js';

export { THROUGHPUT };

// The explanations, worded for a program's runs (whose producer may push several chunks per
// _read()), each true exactly when truth() below says it fits: "rarely" is at most 10% of the
// chunks, "most" at least half, "about as often" within 10%, "many more" over 1.5 times.
export const WHY = [
  {
    id: 'straight-through',
    label:
      "Each chunk went straight through the transform: the producer's _read() ran about as often at every size, and write() into the transform rarely returned false.",
  },
  {
    id: 'drain-per-chunk',
    label:
      "The tiny transform was full after most chunks: write() returned false and a 'drain' had to follow, so the producer paused and resumed for most chunks.",
  },
  {
    id: 'more-reads',
    label: "The tiny highWaterMark made the producer's _read() run many more times than with a large one.",
  },
  { id: 'dropped', label: 'Bytes that did not fit into the tiny buffer were dropped, so there was less to write.' },
  { id: 'none', label: 'None of these fits the data.' },
];
export const SIZES = [1, 16, 256, 4096, 65536];
export const FILENAME = 'narrow.mjs';
export const GOAL =
  'Now write it: a Transform with highWaterMark TRANSFORM_HWM between the fast producer (given) and a fast consumer. ' +
  'Check runs your program once for each highWaterMark 1, 16, 256, 4096 and 65536 (it changes the number on the TRANSFORM_HWM line), shows a table of your runs, and checks your answers against them.';
const HWM_LINE = /^([ \t]*const[ \t]+TRANSFORM_HWM[ \t]*=[ \t]*)([^;\n]*)(;)/gm;

export const STARTER = `// A Transform with a tiny highWaterMark between a fast producer and a fast consumer.
// The page runs this program once for each highWaterMark in its sweep, by changing the
// number on the TRANSFORM_HWM line: keep that line as it is (a number and a semicolon).
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const TRANSFORM_HWM = 1;
const CHUNKS = 400;
const CHUNK_SIZE = 256;

// The producer answers each read with up to 8 chunks on the next turn of the event loop.
let sent = 0;
const producer = new Readable({
  read() {
    setImmediate(() => {
      for (let i = 0; i < 8 && sent < CHUNKS; i++) {
        sent++;
        if (!this.push(Buffer.alloc(CHUNK_SIZE, 0x63))) break;
      }
      if (sent >= CHUNKS) this.push(null);
    });
  },
});

// TODO 1: the narrow middle: a Transform with highWaterMark: TRANSFORM_HWM that passes each
// chunk on (callback(null, chunk)).

// TODO 2: the consumer: a Writable whose write() calls back on the next turn
// (setImmediate(callback)).

// TODO 3: pipeline(producer, narrow, consumer), and print how long it took in virtual time
// (performance.now()).
`;

export const HINTS = [
  'TODO 1: const narrow = new Transform({ highWaterMark: TRANSFORM_HWM, transform(chunk, encoding, callback) { callback(null, chunk); } });',
  'TODO 2: const consumer = new Writable({ write(chunk, encoding, callback) { setImmediate(callback); } });',
  'TODO 3: const start = performance.now(); await pipeline(producer, narrow, consumer); console.log(performance.now() - start, "ms");',
  "Press Check with no answer picked: the table of your runs comes first. Compare the smallest and the largest highWaterMark: virtual time, the producer's _read() calls, write() → false into the transform.",
  'Then make the transform asynchronous (setImmediate(callback, null, chunk)) and Check again: does the same answer still fit?',
];

// The program with TRANSFORM_HWM set to `hwm`: { source } or { error } when the line is not
// there exactly once.
export function withHwm(source, hwm) {
  const found = [...String(source).matchAll(HWM_LINE)];
  if (found.length !== 1) {
    return {
      error:
        found.length === 0
          ? "The sweep needs the line `const TRANSFORM_HWM = 1;` (a number and a semicolon) to run your program at each highWaterMark, and it is not there: put it back, and use TRANSFORM_HWM as the Transform's highWaterMark."
          : `The sweep changes the line \`const TRANSFORM_HWM = …;\`, and your program has it ${found.length} times: keep one.`,
    };
  }
  return { source: String(source).replace(HWM_LINE, (_m, head, _value, semi) => `${head}${hwm}${semi}`) };
}

// One run's row: { hwm, usedHwm, readCalls, writes, transformFalse, drains, consumed,
// endedAtMs, events, transform } or { hwm, error }.
export function rowOf(hwm, result) {
  const broken = unusable(result, {
    what: `the run at highWaterMark ${hwm}`,
    smaller: `send fewer chunks (the starter's CHUNKS = 400 with the solution's transform makes 3,300 to 5,200 events a run)`,
  });
  if (broken) return { hwm, error: broken };
  const counts = tally(traceOf(result));
  const streams = streamsOf(result);
  const transform = streams.find((s) => s.kind === 'transform' || s.kind === 'duplex');
  const producer = streams.find((s) => s.kind === 'readable');
  const consumer = streams.filter((s) => s.kind === 'writable').pop();
  if (!transform || !producer || !consumer) {
    return {
      hwm,
      error: `The run at highWaterMark ${hwm} made no ${!producer ? 'Readable (the producer)' : !transform ? 'Transform (the narrow middle)' : 'Writable (the consumer)'}.`,
    };
  }
  const c = (s) => counts.get(s.name) ?? { reads: 0, writes: 0, falses: 0, drains: 0, writeBytesProcessed: 0 };
  let writes = 0;
  let drains = 0;
  for (const x of counts.values()) {
    writes += x.writes;
    drains += x.drains;
  }
  // Chunks the consumer's write took: its write() calls.
  return {
    hwm,
    transform: transform.name,
    usedHwm: transform.writableHighWaterMark ?? transform.readableHighWaterMark ?? null,
    readCalls: c(producer).reads,
    writes,
    transformFalse: c(transform).falses,
    drains,
    consumed: c(consumer).writes,
    consumedBytes: c(consumer).writeBytesProcessed,
    endedAtMs: result.endedAt,
    events: result.summary?.events ?? 0,
  };
}

// Why the rows cannot be compared, or null.
export function rowsProblem(rows) {
  const failed = rows.find((r) => r.error);
  if (failed) return failed.error;
  const ignored = rows.find((r) => r.usedHwm !== r.hwm);
  if (ignored) {
    return `In the run with TRANSFORM_HWM = ${ignored.hwm}, ${ignored.transform}'s highWaterMark was ${ignored.usedHwm}: give the Transform highWaterMark: TRANSFORM_HWM.`;
  }
  return null;
}

const ratio = (a, b) => (a === b ? 1 : b === 0 ? Infinity : a / b);

// What the runs say, from the smallest and the largest size (as narrow.js's truth(), with the
// producer's reads compared within 10%, since a program's producer may be asked once more or
// less at the end).
export function truth(rows) {
  const tiny = rows[0];
  const wide = rows[rows.length - 1];
  const chunks = wide.consumed;
  const time = ratio(tiny.endedAtMs, wide.endedAtMs);
  const work = ratio(tiny.events, wide.events);
  let throughput = 'same';
  if (time > 1.05) throughput = 'falls';
  else if (time < 0.95) throughput = 'rises';
  const why = new Set();
  const readsClose = rows.every((r) => Math.abs(r.readCalls - wide.readCalls) <= 0.1 * Math.max(1, wide.readCalls));
  if (readsClose && tiny.transformFalse <= 0.1 * chunks) why.add('straight-through');
  if (tiny.transformFalse >= 0.5 * chunks) why.add('drain-per-chunk');
  if (tiny.readCalls > 1.5 * wide.readCalls) why.add('more-reads');
  if (tiny.consumedBytes < wide.consumedBytes) why.add('dropped');
  if (!why.size) why.add('none');
  return { throughput, why, time, work, tiny, wide };
}

function describe(t) {
  const { tiny, wide } = t;
  return (
    `Your runs: at highWaterMark ${tiny.hwm}, ${tiny.endedAtMs} ms of virtual time, ${formatCount(tiny.readCalls)} _read() calls of the producer, ${formatCount(tiny.transformFalse)} write() → false into the transform, ${formatCount(tiny.drains)} drains; ` +
    `at ${wide.hwm}, ${wide.endedAtMs} ms, ${formatCount(wide.readCalls)}, ${formatCount(wide.transformFalse)}, ${formatCount(wide.drains)}.`
  );
}

const THROUGHPUT_WORDS = { same: 'stayed about the same', falls: 'fell', rises: 'rose' };

// answers: { throughput, why } (option ids, or undefined when not picked).
export function check(answers, rows) {
  const problem = rowsProblem(rows);
  if (problem) return { passed: false, reasons: [problem], truth: null };
  const t = truth(rows);
  const reasons = [];
  if (!answers.throughput) reasons.push('Pick what happened to throughput (the table of your runs is below).');
  else if (answers.throughput !== t.throughput) {
    reasons.push(
      `Your runs do not show that: at highWaterMark ${t.tiny.hwm} the program took ${t.tiny.endedAtMs} ms of virtual time and at ${t.wide.hwm} ${t.wide.endedAtMs} ms, so throughput ${THROUGHPUT_WORDS[t.throughput]}.`,
    );
  }
  if (!answers.why) reasons.push('Pick the explanation your runs support.');
  else if (!t.why.has(answers.why)) reasons.push(`That explanation does not fit your runs' counts. ${describe(t)}`);
  const passed = reasons.length === 0;
  if (passed) reasons.push(`Right, and your runs say so. ${describe(t)}`);
  return { passed, reasons, truth: { throughput: t.throughput, why: [...t.why] } };
}
