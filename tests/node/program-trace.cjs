'use strict';
// Preloaded into real Node after program-clock.cjs by the program oracle
// (`node --require program-clock.cjs --require program-trace.cjs PROGRAM`), with
// STREAMLAB_TRACE_OUT=FILE: every stream the program makes records the trace Streamlab's core
// records for it (docs/SCENARIO.md "Trace events", the same wrappers as the scenario oracle's,
// stream-trace.cjs), at program-clock's virtual time, and at exit FILE gets
// {"streams": [names], "trace": [events], "truncated": bool}.
//
// Streams are named as streamlab-exec names them (crate/js/src/stream.js): their class and
// creation index, `FastProducer 1`, `new Readable 2` for Node's own classes. A stream is seen
// when it is made: Readable, Writable and Duplex all call EventEmitter.init (through the legacy
// Stream) once their states exist. Node's stdio streams (the net.Socket, tty or SyncWriteStream
// behind process.stdout and process.stderr) are not the program's and are not traced; nor does
// Streamlab count its process.stdout among the program's streams.
//
// Where events are recorded:
// - `read`, `_write`, `cb`: the stream's `_read`, `_write`, `_writev` and `_transform` become accessors on
//   the instance whose getter hands Node a wrapper of the function the program gave (in the
//   options, its class, or assigned later), so Node's own calls are recorded on entry; `cb` is
//   recorded when the callback handed to `_write` (`_transform` for a Transform, whose `_write`
//   is Node's) is called, before it runs.
// - `push` and `write`: Readable.prototype.push and Writable's write (on Writable.prototype and
//   Duplex.prototype, which copies it) record when they return, so that a subclass's own
//   `write` calling `super.write` records once, where the core records it.
// - emitted events: EventEmitter.prototype.emit, for traced streams only.
// The first TRACE_CAP events are kept (streamlab-exec keeps as many).
const fs = require('node:fs');
const EventEmitter = require('node:events');
const stream = require('node:stream');
const clock = require('./program-clock.cjs');
const { EV, TraceLog, recordEmit, tracedPush, tracedWrite } = require('./stream-trace.cjs');

const OUT = process.env.STREAMLAB_TRACE_OUT;
const TRACE_CAP = 20_000;
const BASES = new Set(['Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']);
const STDIO = new Set(['Socket', 'WriteStream', 'ReadStream', 'SyncWriteStream']);

const names = [];
const log = new TraceLog(names);
const index = new WeakMap(); // stream -> its index in `names`
let created = 0;
let truncated = false;

function rec(st, kind, a, b, flags, code) {
  const idx = index.get(st);
  if (idx === undefined) return;
  if (log.size >= TRACE_CAP) {
    truncated = true;
    return;
  }
  const j = log.add(clock.now(), kind, idx, a, b, flags);
  if (kind === EV.error) log.codes.set(j, code);
}
const recOn = (st) => (kind, a, b, flags, code) => rec(st, kind, a, b, flags, code);

// The callback Node hands `_write` / `_transform`, recording `cb` when the program calls it.
function tracedCallback(st, cb) {
  return function (...args) {
    rec(st, EV.cb, 0, st.writableLength, 0);
    return cb.apply(this, args);
  };
}

function wrapper(st, name, real) {
  switch (name) {
    case '_read':
      return function (n) {
        rec(st, EV.read, 0, st.readableLength, 0);
        return real.call(this, n);
      };
    case '_write':
      return function (chunk, encoding, cb) {
        const len = st.writableObjectMode ? 1 : (chunk?.length ?? 0);
        rec(st, EV._write, len, st.writableLength, 0);
        const isTransform = st instanceof stream.Transform;
        return real.call(this, chunk, encoding, isTransform ? cb : tracedCallback(st, cb));
      };
    case '_writev':
      // clearBuffer's call, with two or more chunks: one `_write` of them all (len: the whole
      // writableLength, Node's writelen). With one chunk it is Writable.prototype._write's
      // call, already recorded as that `_write`.
      return function (chunks, cb) {
        if (chunks.length < 2) return real.call(this, chunks, cb);
        rec(st, EV._write, st.writableLength, st.writableLength, 0);
        return real.call(this, chunks, tracedCallback(st, cb));
      };
    default: // _transform
      return function (chunk, encoding, cb) {
        return real.call(this, chunk, encoding, tracedCallback(st, cb));
      };
  }
}

// `st[name]` as an accessor: the program's function (own, or from its class), wrapped.
function hook(st, name) {
  const hasOwn = Object.hasOwn(st, name);
  let own = hasOwn ? st[name] : undefined;
  let set = hasOwn;
  let real = null;
  let wrapped = null;
  Object.defineProperty(st, name, {
    configurable: true,
    enumerable: false,
    get() {
      const f = set ? own : Object.getPrototypeOf(st)[name];
      if (typeof f !== 'function') return f;
      if (f !== real) {
        real = f;
        wrapped = wrapper(st, name, f);
      }
      return wrapped;
    },
    set(v) {
      own = v;
      set = true;
    },
  });
}

function track(st) {
  const ctor = st.constructor?.name || 'Stream';
  if (STDIO.has(ctor)) return;
  created++;
  index.set(st, names.length);
  names.push(BASES.has(ctor) ? `new ${ctor} ${created}` : `${ctor} ${created}`);
  if (st._readableState) hook(st, '_read');
  if (st._writableState) {
    hook(st, '_write');
    hook(st, '_writev');
  }
  if (st instanceof stream.Transform) hook(st, '_transform');
}

const init = EventEmitter.init;
EventEmitter.init = function (opts) {
  const r = init.call(this, opts);
  if (this instanceof stream.Stream && (this._readableState || this._writableState) && !index.has(this)) track(this);
  return r;
};

const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (ev, ...args) {
  if (index.has(this)) recordEmit(recOn(this), ev, args);
  return emit.call(this, ev, ...args);
};

const push = stream.Readable.prototype.push;
stream.Readable.prototype.push = function (chunk, encoding) {
  if (!index.has(this)) return push.call(this, chunk, encoding);
  return tracedPush(this, push, chunk, encoding, recOn(this));
};

for (const proto of [stream.Writable.prototype, stream.Duplex.prototype]) {
  const write = proto.write;
  proto.write = function (...args) {
    if (!index.has(this)) return write.apply(this, args);
    return tracedWrite(this, write, args, recOn(this));
  };
}

if (OUT) {
  process.on('exit', () => {
    const events = [];
    for (let j = 0; j < log.size; j++) events.push(log.text(j));
    fs.writeFileSync(
      OUT,
      `{"streams":${JSON.stringify(names)},"truncated":${truncated},"trace":[${events.join(',')}]}\n`,
    );
  });
}
