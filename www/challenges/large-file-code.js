// Challenge "A large file to a slow destination", the code step: pure logic (no DOM). The
// learner writes the pipeline; the check reads the run's record: the bytes the destination's
// _write() took (from the trace, which must cover the whole run), the modelled memory (the
// core's 30 MiB baseline plus the most bytes buffered at once, the same model
// process.memoryUsage().rss gives the program), and the program's own log: a line every
// 100 ms of the run, and every rss figure it prints under the bound. (What a log line says
// besides rss is the learner's; a program that logs what its streams hold, as the corpus's
// solution does so that it prints the same under Node, passes too.)
import { BASELINE, BOUND, MIN_FILE, SAMPLE_MS } from './large-file.js';
import { formatBytes, formatCount, formatSeconds } from './format.js';
import { unusable, streamsOf, traceOf, tally } from './code-record.js';

export { BASELINE, BOUND, MIN_FILE, SAMPLE_MS };
export const FILENAME = 'large-file.mjs';
export const GOAL =
  'Now write it: a pipeline from the 1 GiB file (given, 1 MiB chunks) into a Writable whose _write() takes 5 ms (setTimeout), and a setInterval that logs process.memoryUsage().rss every 100 ms. ' +
  "Check runs your program and reads the core's record of the run: at least 1 GiB must reach the destination's _write(), the modelled memory (30 MiB plus every byte buffered, the same figure rss gives your program) must stay under 64 MiB, and so must every rss your log prints. " +
  "The page also runs the same file through a loop that ignores write()'s return value, for contrast.";

export const STARTER = `// Send a 1 GiB "file" into a slow destination and keep memory bounded.
// The file is given: a Readable that reads 1 MiB at a time (like fs.createReadStream with
// highWaterMark: 1 MiB). Write the rest where the TODOs are.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const FILE_SIZE = 1024 * 1024 * 1024; // 1 GiB
const CHUNK_SIZE = 1024 * 1024; // 1 MiB
const block = Buffer.alloc(CHUNK_SIZE, 0x61); // the file's bytes: one block, read again and again

class LargeFile extends Readable {
  constructor() {
    super({ highWaterMark: CHUNK_SIZE });
    this.read_ = 0;
  }
  _read() {
    if (this.read_ >= FILE_SIZE) {
      this.push(null);
      return;
    }
    this.read_ += CHUNK_SIZE;
    this.push(block);
  }
}

// TODO 1: a slow Writable: its _write(chunk, encoding, callback) calls callback
// after setTimeout(…, 5), as a slow disk or network would.
class SlowDestination extends Writable {}

// TODO 2: every 100 ms, log process.memoryUsage().rss, e.g.
// console.log(\`\${performance.now()} ms: rss \${process.memoryUsage().rss} bytes\`);

// TODO 3: send the whole file into the destination, then stop the logging.
`;

// The page's contrast: the same file written by a loop that ignores write()'s return value.
export const CONTRAST = `// The same 1 GiB file, written by a loop that ignores write()'s return value.
import { Writable } from "node:stream";

const FILE_SIZE = 1024 * 1024 * 1024;
const CHUNK_SIZE = 1024 * 1024;
const block = Buffer.alloc(CHUNK_SIZE, 0x61);

class SlowDestination extends Writable {
  _write(chunk, encoding, callback) {
    setTimeout(callback, 5);
  }
}

const destination = new SlowDestination();
const log = setInterval(() => console.log(\`\${performance.now()} ms: rss \${process.memoryUsage().rss} bytes\`), 100);
for (let sent = 0; sent < FILE_SIZE; sent += CHUNK_SIZE) destination.write(block); // false is ignored
destination.end();
destination.on("finish", () => clearInterval(log));
`;

export const HINTS = [
  'TODO 1: class SlowDestination extends Writable { _write(chunk, encoding, callback) { setTimeout(callback, 5); } }',
  "TODO 2: const log = setInterval(() => console.log(performance.now(), 'ms: rss', process.memoryUsage().rss, 'bytes'), 100);",
  'TODO 3: await pipeline(new LargeFile(), new SlowDestination()); then clearInterval(log). pipeline() pauses the file whenever write() returns false and resumes it on drain.',
  "A write loop works too, if it waits: when destination.write(chunk) returns false, await once(destination, 'drain') (from node:events) before the next write.",
];

// The bytes in a logged line's rss figure: "rss 35651584", "rss: 34 MiB", "rss=34.0 MB".
const RSS = /rss\D{0,12}?(\d[\d,_]*(?:\.\d+)?)\s*(GiB|MiB|KiB|GB|MB|kB|KB|bytes|B)?/i;
const UNIT = { gib: 2 ** 30, mib: 2 ** 20, kib: 2 ** 10, gb: 1e9, mb: 1e6, kb: 1e3, bytes: 1, b: 1 };
export function rssOf(text) {
  const m = RSS.exec(text);
  if (!m) return null;
  const n = Number(m[1].replace(/[,_]/g, ''));
  return Number.isFinite(n) ? n * (UNIT[(m[2] ?? 'bytes').toLowerCase()] ?? 1) : null;
}

// The program's log: stdout lines, the tenths of a second of its run that have one, and the
// rss figures it printed.
export function logOf(result) {
  const lines = (result.output ?? []).filter((o) => o.stream === 'stdout');
  const tenths = Math.floor((result.endedAt ?? 0) / SAMPLE_MS);
  const logged = new Set();
  const rss = [];
  for (const o of lines) {
    const k = Math.floor(o.t / SAMPLE_MS);
    if (k >= 1 && k <= tenths) logged.add(k);
    for (const line of String(o.text).split('\n')) {
      const b = rssOf(line);
      if (b !== null) rss.push({ t: o.t, bytes: b });
    }
  }
  return { tenths, logged: logged.size, rss };
}

// The destination: of the streams with a writable side, the one whose _write() took the most.
function destinationOf(result, counts) {
  let best = null;
  for (const s of streamsOf(result)) {
    if (s.kind === 'readable') continue;
    const c = counts.get(s.name);
    if (c && (!best || c.writeBytesProcessed > best.c.writeBytesProcessed)) best = { s, c };
  }
  return best;
}

// Where backpressure was ignored: the stream that took the most write() calls after saying false.
function ignoredBy(counts) {
  let worst = null;
  for (const [name, c] of counts)
    if (c.writesWhileFull > 0 && (!worst || c.writesWhileFull > worst.c.writesWhileFull)) worst = { name, c };
  return worst;
}

// The contrast run's peak (its summary is enough: it is never traced).
export const contrastPeak = (result) => BASELINE + (result?.summary?.maxBufferedBytes ?? 0);

// { passed, reasons[], facts } for the learner's run and the contrast's (null when it failed).
export function check(result, contrast = null) {
  const broken = unusable(result, { smaller: 'read the file in 1 MiB chunks (CHUNK_SIZE in the starter)' });
  if (broken) return { passed: false, reasons: [broken], facts: {} };
  const counts = tally(traceOf(result));
  const dest = destinationOf(result, counts);
  const through = dest?.c.writeBytesProcessed ?? 0;
  const peak = BASELINE + (result.summary?.maxBufferedBytes ?? 0);
  const log = logOf(result);
  const facts = {
    through,
    destination: dest?.s.name ?? null,
    peak,
    bound: BOUND,
    endedAtMs: result.endedAt,
    logged: log.logged,
    tenths: log.tenths,
    rssLines: log.rss.length,
    contrastPeak: contrast ? contrastPeak(contrast) : null,
  };
  const reasons = [];
  if (!dest) reasons.push('No stream took any data: the program needs a Writable whose _write() receives the file.');
  else if (through < MIN_FILE) {
    reasons.push(
      `Only ${formatBytes(through)} reached ${dest.s.name}'s _write(); the goal is at least 1 GiB. Does the whole file go into the destination?`,
    );
  }
  if (peak >= BOUND) {
    const ignored = ignoredBy(counts);
    const why = ignored
      ? `${ignored.name}'s write() returned false ${formatCount(ignored.c.falses)} times and the program kept writing (${formatCount(ignored.c.writesWhileFull)} more write() calls before a 'drain')`
      : 'the streams buffered more than a few chunks at once';
    reasons.push(`Modelled memory rose to ${formatBytes(peak)}, over the bound of ${formatBytes(BOUND)}: ${why}.`);
  }
  const overLogged = log.rss.find((r) => r.bytes >= BOUND);
  if (overLogged) {
    reasons.push(
      `Your program logged rss ${formatBytes(overLogged.bytes)} at ${formatCount(overLogged.t)} ms, over the bound of ${formatBytes(BOUND)}.`,
    );
  }
  // One log line per tenth of a second the run lasted, give or take one at each end.
  if (log.tenths >= 2 && log.logged < Math.floor(0.9 * log.tenths) - 1) {
    reasons.push(
      `The program logged in ${formatCount(log.logged)} of the ${formatCount(log.tenths)} tenths of a second it ran: log process.memoryUsage().rss every 100 ms with setInterval(…, 100), and clear it at the end.`,
    );
  }
  const passed = reasons.length === 0;
  if (passed) {
    reasons.push(
      `${formatBytes(through)} went through ${dest.s.name} in ${formatSeconds(result.endedAt)} of virtual time; modelled memory peaked at ${formatBytes(peak)} (bound ${formatBytes(BOUND)}), logged in ${formatCount(log.logged)} of ${formatCount(log.tenths)} tenths of a second` +
        (facts.contrastPeak !== null
          ? `; the page's loop that ignores write()'s return value peaked at ${formatBytes(facts.contrastPeak)} with the same file.`
          : '.'),
    );
  }
  return { passed, reasons, facts };
}
