// Challenge "A throttled transform", the code step: pure logic (no DOM). The learner writes a
// Transform's _transform that delays callback() by the bytes processed so far. The check reads
// the run's trace (never the printed text): the transform's output (its pushes) over at least
// 5 s of virtual time within 5% of N, every full second within 10%, and every buffer upstream
// of the output within its highWaterMark (plus the one chunk a push or write may overshoot by).
//
// N is fixed here and stated in the goal and the starter (RATE = 65536), rather than read from
// the program: the check reads what the run did, and a number taken from the source text could
// say one thing while the program did another. A learner who changes RATE is told the rate
// the check expects.
import { TOLERANCE, WINDOW_TOLERANCE, MIN_RUN_MS, WINDOW_MS } from './throttle.js';
import { formatBytes, formatCount, formatPercent, formatRate, formatSeconds } from './format.js';
import { unusable, streamsOf, traceOf, tally } from './code-record.js';

export { TOLERANCE, WINDOW_TOLERANCE, MIN_RUN_MS, WINDOW_MS };
export const RATE = 65536; // N, bytes per second
export const FILENAME = 'throttle.mjs';
export const GOAL =
  "Now write it: the Throttle's _transform() must pass its chunks on at N = 65,536 bytes per second (RATE in the starter) by delaying callback() according to the bytes it has processed. " +
  "Check reads the trace of your run, not what it prints: the Transform's output over at least 5 s of virtual time within 5% of N, every full second within 10%, and every buffer upstream within its highWaterMark.";

export const STARTER = `// Limit a Transform's output to RATE bytes per second of (virtual) time.
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const RATE = 65536; // N: bytes per second (the check expects this N)
const CHUNK_SIZE = 1024;
const TOTAL = 6 * RATE; // six seconds of data at N

class Throttle extends Transform {
  constructor(bytesPerSecond) {
    super();
    this.bytesPerSecond = bytesPerSecond;
    this.bytes = 0; // bytes taken in so far
    this.start = null; // performance.now() at the first chunk
  }
  _transform(chunk, encoding, callback) {
    // TODO: pass the chunk on (callback(null, chunk)) only when the bytes taken so far are
    // due at this.bytesPerSecond: until then, wait with setTimeout.
    callback(null, chunk);
  }
}

let sent = 0;
const source = new Readable({
  read() {
    sent += CHUNK_SIZE;
    this.push(sent <= TOTAL ? Buffer.alloc(CHUNK_SIZE, 0x62) : null);
  },
});
let received = 0;
const sink = new Writable({
  write(chunk, encoding, callback) {
    received += chunk.length;
    callback();
  },
});

const start = performance.now();
await pipeline(source, new Throttle(RATE), sink);
const seconds = (performance.now() - start) / 1000;
console.log(\`\${received} bytes in \${seconds} s: \${Math.round(received / seconds)} bytes/s\`);
`;

export const HINTS = [
  'Count the bytes as they come in (this.bytes += chunk.length) and note when the first chunk came (this.start ??= performance.now()).',
  'The bytes so far are due at this.start + this.bytes / this.bytesPerSecond * 1000 milliseconds.',
  'Wait for that moment: setTimeout(() => callback(null, chunk), Math.max(0, due - performance.now())).',
  "You write nothing about backpressure: while callback waits, the Transform's buffer fills, write() returns false and pipeline() pauses the source.",
];

// The stream whose output is measured: the Transform (or Duplex) that pushed the most bytes.
function throttleOf(result, counts) {
  let best = null;
  for (const s of streamsOf(result)) {
    if (s.kind !== 'transform' && s.kind !== 'duplex') continue;
    const c = counts.get(s.name);
    if (c?.pushBytes && (!best || c.pushBytes > best.c.pushBytes)) best = { s, c };
  }
  return best;
}

// Bytes pushed by `name` in each full second (start + k s, start + (k+1) s] up to `end`.
export function windowRates(trace, name, start, end) {
  const n = Math.floor((end - start) / WINDOW_MS);
  const bytes = new Array(Math.max(0, n)).fill(0);
  for (const e of trace) {
    if (e.ev !== 'push' || e.stream !== name || !(e.len > 0)) continue;
    const k = Math.ceil((e.t - start) / WINDOW_MS) - 1;
    if (k >= 0 && k < n) bytes[k] += e.len;
  }
  return bytes.map((b, k) => ({ from: start + k * WINDOW_MS, rate: (b * 1000) / WINDOW_MS }));
}

// Streams upstream of the output (every stream but the ones that only write) and how far each
// went over its highWaterMark plus one chunk: [{ name, side, max, limit }].
function overflows(result, counts) {
  const out = [];
  for (const s of streamsOf(result)) {
    if (s.kind === 'writable') continue;
    const c = counts.get(s.name);
    if (!c) continue;
    const sides = [
      ['read buffer', c.maxRl, s.readableHighWaterMark],
      ['write buffer', c.maxWl, s.writableHighWaterMark],
    ];
    for (const [side, max, hwm] of sides) {
      if (!Number.isFinite(hwm)) continue;
      const limit = hwm + c.maxChunk;
      if (max > limit) out.push({ name: s.name, side, max, hwm, limit });
    }
  }
  return out;
}

export function check(result) {
  const broken = unusable(result, {
    smaller: "keep the starter's 1 KiB chunks and six seconds of data at N (about 4,000 events)",
  });
  if (broken) return { passed: false, reasons: [broken], facts: {} };
  const trace = traceOf(result);
  const counts = tally(trace);
  const t = throttleOf(result, counts);
  if (!t) {
    return {
      passed: false,
      reasons: ['No Transform passed any data on: the check measures the output of the Transform in your pipeline.'],
      facts: {},
    };
  }
  const N = RATE;
  const start = t.c.firstWriteT ?? 0;
  const end = t.c.lastPushT ?? start;
  const span = end - start;
  const rate = span > 0 ? (t.c.pushBytes * 1000) / span : Infinity;
  const windows = windowRates(trace, t.s.name, start, end);
  let worst = null;
  for (const w of windows) if (!worst || Math.abs(w.rate - N) > Math.abs(worst.rate - N)) worst = w;
  const over = overflows(result, counts);
  const facts = { name: t.s.name, N, rate, span, bytes: t.c.pushBytes, windows, worst, over };
  const reasons = [];
  if (span < MIN_RUN_MS) {
    reasons.push(
      `${t.s.name} passed ${formatBytes(t.c.pushBytes)} on within ${formatSeconds(span)} of virtual time; the rate needs at least ${formatSeconds(MIN_RUN_MS)}: ${rate > N * (1 + TOLERANCE) ? `${Number.isFinite(rate) ? `at ${formatRate(rate)}` : 'all at once,'} it is not throttled to N = ${formatRate(N)} (${N} bytes/s)` : 'send more data'}.`,
    );
  } else {
    const off = Math.abs(rate - N) / N;
    if (off > TOLERANCE) {
      reasons.push(
        `${t.s.name} passed ${formatBytes(t.c.pushBytes)} on in ${formatSeconds(span)}: ${formatRate(rate)}, ${formatPercent(off)} ${rate < N ? 'below' : 'above'} N = ${formatRate(N)} (${N} bytes/s; tolerance ${formatPercent(TOLERANCE)}).`,
      );
    }
    if (worst && Math.abs(worst.rate - N) / N > WINDOW_TOLERANCE) {
      reasons.push(
        `In the second from ${formatSeconds(worst.from)} ${t.s.name} passed on ${formatRate(worst.rate)}, more than ${formatPercent(WINDOW_TOLERANCE)} away from N: the delay should follow the bytes so far, so every second gets its share.`,
      );
    }
  }
  for (const o of over) {
    reasons.push(
      `${o.name}'s ${o.side} held up to ${formatBytes(o.max)}, over its highWaterMark of ${formatBytes(o.hwm)} plus one chunk: something kept ${o.side === 'read buffer' ? 'pushing after push() returned false' : 'writing after write() returned false'}.`,
    );
  }
  const passed = reasons.length === 0;
  if (passed) {
    reasons.push(
      `${t.s.name} passed ${formatBytes(t.c.pushBytes)} on in ${formatSeconds(span)}: ${formatRate(rate)} against N = ${formatRate(N)}, each of ${formatCount(windows.length)} full seconds within ${formatPercent(worst ? Math.abs(worst.rate - N) / N : 0)}, and every buffer upstream stayed within its highWaterMark.`,
    );
  }
  return { passed, reasons, facts };
}
