'use strict';
// The stream trace as real Node records it (docs/SCENARIO.md "Trace events"), shared by the
// scenario oracle (oracle.cjs) and the program trace hook (program-trace.cjs): the event kinds,
// a compact log of events, the length a stream counts for a chunk, and the wrappers that record
// `push`, `write` and the emitted events with Node's own timing (emits before their listeners
// run, push/write when they return).

const EVENTS = [
  'read',
  'push',
  'write',
  '_write',
  'cb',
  'drain',
  'pause',
  'resume',
  'end',
  'finish',
  'close',
  'error',
  'wait',
  'wake',
];
const EV = Object.fromEntries(EVENTS.map((e, i) => [e, i]));
const BLOCK = 1 << 16;

// The trace, stored in columns so that millions of events stay small. `names` may grow while
// recording (a program makes its streams as it runs).
class TraceLog {
  constructor(names) {
    this.names = names;
    this.blocks = [];
    this.size = 0;
    this.codes = new Map(); // event index -> error code (error events only)
  }
  // kind | ret << 4 | eof << 5 | stream << 6 in `k`; len in `a`; rl or wl in `b`.
  add(t, kind, stream, a, b, flags) {
    const i = this.size % BLOCK;
    if (i === 0)
      this.blocks.push({
        t: new Float64Array(BLOCK),
        k: new Uint32Array(BLOCK),
        a: new Float64Array(BLOCK),
        b: new Float64Array(BLOCK),
      });
    const blk = this.blocks[this.blocks.length - 1];
    blk.t[i] = t;
    blk.k[i] = kind | (flags << 4) | (stream << 6);
    blk.a[i] = a;
    blk.b[i] = b;
    return this.size++;
  }
  // JSON text of event j.
  text(j) {
    const blk = this.blocks[Math.floor(j / BLOCK)];
    const i = j % BLOCK;
    const k = blk.k[i];
    const kind = EVENTS[k & 15];
    const head = `{"t":${blk.t[i]},"ev":"${kind}","stream":${JSON.stringify(this.names[k >>> 6] ?? '')}`;
    const ret = (k >> 4) & 1 ? 'true' : 'false';
    switch (k & 15) {
      case EV.read:
        return `${head},"rl":${blk.b[i]}}`;
      case EV.push:
        return `${head},"len":${blk.a[i]},"ret":${ret},"rl":${blk.b[i]}${(k >> 5) & 1 ? ',"eof":true' : ''}}`;
      case EV.write:
        return `${head},"len":${blk.a[i]},"ret":${ret},"wl":${blk.b[i]}}`;
      case EV._write:
        return `${head},"len":${blk.a[i]},"wl":${blk.b[i]}}`;
      case EV.cb:
        return `${head},"wl":${blk.b[i]}}`;
      case EV.error:
        return `${head},"code":${JSON.stringify(this.codes.get(j) ?? null)}}`;
      default:
        return `${head}}`;
    }
  }
}
// Length of a chunk as a stream in that mode counts it (a Buffer, or a string as UTF-8).
function lenOf(chunk, objectMode) {
  if (objectMode) return 1;
  if (typeof chunk === 'string') return Buffer.byteLength(chunk);
  if (chunk != null && typeof chunk.length === 'number') return chunk.length;
  return 0;
}

// What writable.write(chunk, encoding) adds to writableLength (Writable's _write): a string
// becomes a Buffer in `encoding` unless decodeStrings is false.
function writeLen(st, chunk, encoding) {
  if (st.writableObjectMode) return 1;
  if (typeof chunk === 'string') {
    const ws = st._writableState;
    if (ws && ws.decodeStrings === false) return chunk.length;
    const enc = typeof encoding === 'string' ? encoding : (ws?.defaultEncoding ?? 'utf8');
    return Buffer.isEncoding(enc) ? Buffer.byteLength(chunk, enc) : Buffer.byteLength(chunk);
  }
  return lenOf(chunk, false);
}

// What readable.push(chunk, encoding) counts for the chunk (readableAddChunk): a string kept as
// it is when it is in the stream's encoding, else made a Buffer; with setEncoding, the length
// of the string the decoder gave (`decoded`, or null when it was not called).
function pushLen(st, chunk, encoding, decoded) {
  if (st.readableObjectMode) return 1;
  if (decoded !== null) return decoded;
  const rs = st._readableState;
  if (typeof chunk === 'string') {
    const enc = encoding || rs?.defaultEncoding || 'utf8';
    if (rs && rs.encoding === enc) return chunk.length;
    return Buffer.isEncoding(enc) ? Buffer.byteLength(chunk, enc) : Buffer.byteLength(chunk);
  }
  // Anything else but a Buffer or Uint8Array is refused (ERR_INVALID_ARG_TYPE): nothing counted.
  return chunk instanceof Uint8Array ? chunk.length : 0;
}

const EMITTED = new Set(['drain', 'pause', 'resume', 'end', 'finish', 'close', 'error']);

// Records an emitted event of the trace before its listeners run: `rec(kind, a, b, flags,
// code)`; `onEmit(ev, args)`, when given, sees every traced event first.
function recordEmit(rec, ev, args, onEmit) {
  if (!EMITTED.has(ev)) return;
  if (onEmit) onEmit(ev, args);
  if (ev === 'error') {
    const err = args[0];
    rec(EV.error, 0, 0, 0, err && err.code !== undefined ? err.code : null);
  } else rec(EV[ev], 0, 0, 0);
}

// readable.push(chunk, encoding) with its `push` event recorded when it returns.
function tracedPush(st, push, chunk, encoding, rec, onPush) {
  // With setEncoding, the length counted is that of the decoder's string.
  const dec = st._readableState?.decoder;
  let decoded = null;
  if (dec && chunk !== null && !st.readableObjectMode) {
    const write = dec.write;
    dec.write = function (buf) {
      const s = write.call(this, buf);
      decoded = s.length;
      return s;
    };
    try {
      return finish(push.call(st, chunk, encoding));
    } finally {
      delete dec.write;
    }
  }
  return finish(push.call(st, chunk, encoding));
  function finish(ret) {
    if (chunk === null) rec(EV.push, 0, st.readableLength, (ret ? 1 : 0) | 2);
    else {
      if (onPush) onPush();
      rec(EV.push, pushLen(st, chunk, encoding, decoded), st.readableLength, ret ? 1 : 0);
    }
    return ret;
  }
}

// writable.write(chunk, encoding, cb) with its `write` event recorded when it returns.
function tracedWrite(st, write, args, rec, onWrite) {
  const ret = write.apply(st, args);
  const [chunk, encoding] = args;
  if (onWrite) onWrite(ret);
  rec(EV.write, writeLen(st, chunk, encoding), st.writableLength, ret ? 1 : 0);
  return ret;
}

// Wraps one stream's emit, push and write (as own properties) so that its events are recorded
// with `rec(kind, a, b, flags, code)`. `hooks`: onEmit(ev, args), onPush(), onWrite(ret), for
// the scenario's counters.
function instrument(st, rec, hooks = {}) {
  const emit = st.emit;
  st.emit = function (ev, ...args) {
    recordEmit(rec, ev, args, hooks.onEmit);
    return emit.call(this, ev, ...args);
  };
  if (typeof st.push === 'function') {
    const push = st.push;
    st.push = (chunk, encoding) => tracedPush(st, push, chunk, encoding, rec, hooks.onPush);
  }
  if (typeof st.write === 'function') {
    const write = st.write;
    st.write = (...args) => tracedWrite(st, write, args, rec, hooks.onWrite);
  }
}

module.exports = { EVENTS, EV, TraceLog, lenOf, writeLen, pushLen, recordEmit, tracedPush, tracedWrite, instrument };
