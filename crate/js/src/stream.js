// Node's `stream` module for a learner's program. The classes are thin handles: each object
// holds the id of one of the core's streams (the Rust state machines the scenarios use), and
// every method is a native call into the core. The core calls back through `dispatch` (the
// program's _read, _write, _transform, _final, _flush, _destroy) and the listeners it holds.
// Only what the core has no place for lives here: argument checks and chunk conversion as
// Node's JavaScript does them, Readable.from, pipeline's promise and async iteration.
(k) => {
  const { host: h, EventEmitter, Buffer, nodeError, invalidArgType, inspect, kOrigin, describeReceived } = k;
  const { AbortError, validateAbortSignal } = k;
  const kId = Symbol('streamlab.stream');
  const kName = Symbol('streamlab.name');
  // Fixed at construction, so kept on the object: asking the core on every chunk cost more
  // than the chunk's own work.
  const kReadableObjectMode = Symbol('streamlab.readableObjectMode');
  const kWritableObjectMode = Symbol('streamlab.writableObjectMode');
  const kReadableHighWaterMark = Symbol('streamlab.readableHighWaterMark');
  // A typed array's named properties are slow to read in the engine (each name is first tried
  // as an index): its length through the prototype's getter instead.
  const lengthGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length').get;
  const lengthOf = (view) => lengthGetter.call(view);
  const CORE_EVENTS = new Set([
    'data',
    'end',
    'finish',
    'close',
    'error',
    'drain',
    'pause',
    'resume',
    'prefinish',
    'unpipe',
    'readable',
  ]);
  const KIND_BUFFER = 0;
  const KIND_TEXT = 1;
  const KIND_OBJECT = 2;
  let created = 0;

  function invalidArgValue(name, value) {
    const type = name.includes('.') ? 'property' : 'argument';
    return nodeError(
      TypeError,
      'ERR_INVALID_ARG_VALUE',
      `The ${type} '${name}' is invalid. Received ${inspect(value)}`,
    );
  }

  // getHighWaterMark(state, options, duplexKey, isDuplex)
  function highWaterMark(options, duplexKey, isDuplex, objectMode) {
    const hwm = options?.highWaterMark != null ? options.highWaterMark : isDuplex ? options?.[duplexKey] : null;
    if (hwm != null) {
      if (!Number.isInteger(hwm) || hwm < 0) {
        throw invalidArgValue(isDuplex ? `options.${duplexKey}` : 'options.highWaterMark', hwm);
      }
      return Math.floor(hwm);
    }
    return objectMode ? 16 : DEFAULT_HWM;
  }

  function kindOf(stream) {
    if (stream instanceof Transform) return 'transform';
    if (stream instanceof Duplex) return 'duplex';
    if (stream instanceof Readable) return 'readable';
    return 'writable';
  }

  // Node 22 raised the default highWaterMark of byte streams from 16 KiB to 64 KiB.
  const NODE22 = h.nodeVersion.startsWith('22.');
  const DEFAULT_HWM = NODE22 ? 65536 : 16384;

  const BASES = new Set(['Readable', 'Writable', 'Duplex', 'Transform', 'PassThrough']);

  // What Node's constructors do with their options, then one core stream for the object.
  function init(stream, options) {
    const kind = kindOf(stream);
    const isDuplex = kind === 'duplex' || kind === 'transform';
    const readable = kind !== 'writable' && options?.readable !== false;
    const writable = kind !== 'readable' && options?.writable !== false;
    const objectMode = !!options?.objectMode;
    const rObject = objectMode || (isDuplex && !!options?.readableObjectMode);
    const wObject = objectMode || (isDuplex && !!options?.writableObjectMode);
    const rHwm = highWaterMark(options, 'readableHighWaterMark', isDuplex, rObject);
    const wHwm = highWaterMark(options, 'writableHighWaterMark', isDuplex, wObject);
    if (options) {
      if (typeof options.read === 'function') stream._read = options.read;
      if (typeof options.destroy === 'function') stream._destroy = options.destroy;
      if (kind !== 'readable') {
        if (typeof options.write === 'function') stream._write = options.write;
        if (typeof options.writev === 'function') stream._writev = options.writev;
        if (typeof options.final === 'function') stream._final = options.final;
      }
      if (kind === 'transform') {
        if (typeof options.transform === 'function') stream._transform = options.transform;
        if (typeof options.flush === 'function') stream._flush = options.flush;
      }
    }
    const ctor = stream.constructor?.name || 'Stream';
    // process.stdout and process.stderr are Node's, not the program's: they take no number, so
    // that a program's streams are numbered the same whether or not it touched them.
    const name = options?.[kName] ?? (BASES.has(ctor) ? `new ${ctor} ${++created}` : `${ctor} ${++created}`);
    stream[kId] = h.streamNew(stream, {
      name,
      readable: kind !== 'writable',
      writable: kind !== 'readable',
      transform: kind === 'transform',
      readableObjectMode: rObject,
      writableObjectMode: wObject,
      readableHighWaterMark: rHwm,
      writableHighWaterMark: wHwm,
      emitClose: options?.emitClose !== false,
      autoDestroy: options?.autoDestroy !== false,
      allowHalfOpen: options?.allowHalfOpen !== false,
      final: typeof stream._final === 'function',
      flush: kind === 'transform' && typeof stream._flush === 'function',
      destroy: true,
      writeMethod: kind !== 'readable' && stream.write !== writableMethods.write,
      writev: kind !== 'readable' && typeof stream._writev === 'function',
    });
    stream[kReadableObjectMode] = rObject;
    stream[kWritableObjectMode] = wObject;
    stream[kReadableHighWaterMark] = rHwm;
    stream._decodeStrings = options?.decodeStrings !== false;
    stream._defaultEncoding = options?.defaultEncoding || 'utf8';
    if (!readable && kind !== 'writable') h.streamCall('flowing', stream[kId], false);
    if (!writable && kind !== 'readable') stream.end();
    if (options?.signal) addAbortSignal(options.signal, stream);
  }

  // A chunk as the core counts it: [value, kind, bytes]. Strings become Buffers in byte mode.
  function toBuffer(chunk) {
    if (chunk instanceof Buffer) return chunk;
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  // An object-mode chunk: it counts 1, but pipe may hand it to a byte stream, which takes
  // strings and Buffers (the core knows which it is).
  function objectChunk(chunk) {
    if (typeof chunk === 'string') return [chunk, KIND_TEXT, Buffer.byteLength(chunk)];
    if (chunk instanceof Uint8Array) return [chunk, KIND_BUFFER, lengthOf(chunk)];
    return [chunk, KIND_OBJECT, 1];
  }

  // readableAddChunk's checks; the value to push, or an error to errorOrDestroy with.
  function readableChunk(stream, chunk, encoding) {
    if (chunk === null) return [null];
    if (stream[kReadableObjectMode]) return objectChunk(chunk);
    const decoder = stream._decoder;
    if (decoder && typeof chunk === 'string' && (encoding || 'utf8') === decoder.encoding) {
      return [chunk, KIND_TEXT, chunk.length];
    }
    if (typeof chunk === 'string') chunk = Buffer.from(chunk, encoding || 'utf8');
    else if (ArrayBuffer.isView(chunk) && chunk instanceof Uint8Array) chunk = toBuffer(chunk);
    else if (chunk !== undefined) {
      return [
        undefined,
        undefined,
        undefined,
        invalidArgType('chunk', 'string or an instance of Buffer, TypedArray, or DataView', chunk),
      ];
    }
    if (decoder && chunk !== undefined) {
      // setEncoding: the stream buffers strings, counted in UTF-16 units as Node counts them.
      const text = decoder.write(chunk);
      return [text, KIND_TEXT, text.length];
    }
    return [chunk, KIND_BUFFER, chunk === undefined ? 0 : lengthOf(chunk)];
  }

  // Node's StringDecoder for setEncoding (lib/string_decoder.js): each encoding holds back the
  // bytes that cannot be decoded yet (a UTF-8 character's first bytes, UTF-16's odd byte or
  // high surrogate, base64's incomplete 3-byte group); end() decodes what is left.
  const DECODER_ENCODINGS = {
    utf8: 'utf8',
    'utf-8': 'utf8',
    utf16le: 'utf16le',
    'utf-16le': 'utf16le',
    ucs2: 'utf16le',
    'ucs-2': 'utf16le',
    latin1: 'latin1',
    binary: 'latin1',
    base64: 'base64',
    hex: 'hex',
    ascii: 'ascii',
  };
  function stringDecoder(encoding) {
    const normal = encoding == null ? 'utf8' : DECODER_ENCODINGS[String(encoding).toLowerCase()];
    if (normal === undefined) throw nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
    // How many of b's bytes can be decoded now.
    const complete = {
      utf8(b) {
        let i = b.length - 1;
        let continuation = 0;
        while (i >= 0 && continuation < 3 && (b[i] & 0xc0) === 0x80) {
          i--;
          continuation++;
        }
        if (i >= 0) {
          const lead = b[i];
          const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
          if (need > continuation + 1) return i;
        }
        return b.length;
      },
      utf16le(b) {
        const even = b.length - (b.length % 2);
        const last = even >= 2 ? b[even - 2] | (b[even - 1] << 8) : 0;
        return last >= 0xd800 && last <= 0xdbff ? even - 2 : even;
      },
      base64: (b) => b.length - (b.length % 3),
    }[normal];
    if (!complete) {
      return { encoding: normal, write: (b) => (typeof b === 'string' ? b : b.toString(normal)), end: () => '' };
    }
    let pending = null;
    return {
      encoding: normal,
      write(b) {
        if (typeof b === 'string') return b;
        if (pending) b = Buffer.concat([pending, b]);
        const n = complete(b);
        pending = n < b.length ? b.subarray(n) : null;
        return b.subarray(0, n).toString(normal);
      },
      end() {
        const rest = pending;
        pending = null;
        if (!rest) return '';
        // UTF-16: a lone last byte is dropped; a high surrogate is given as it is.
        return rest.toString(normal);
      },
    };
  }

  // push(null) on a decoding stream: onEofChunk buffers what the decoder still held.
  function pushEnd(stream) {
    const rest = stream._decoder.end();
    return h.streamPushEnd(stream[kId], rest, KIND_TEXT, rest.length);
  }

  function nop() {}

  class Stream extends EventEmitter {
    on(type, listener) {
      if (!CORE_EVENTS.has(type) || this[kId] === undefined) return super.on(type, listener);
      if (typeof listener !== 'function') throw invalidArgType('listener', 'function', listener);
      h.streamOn(this[kId], type, listener, false, false);
      return this;
    }
    addListener(type, listener) {
      return this.on(type, listener);
    }
    prependListener(type, listener) {
      if (!CORE_EVENTS.has(type) || this[kId] === undefined) return super.prependListener(type, listener);
      if (typeof listener !== 'function') throw invalidArgType('listener', 'function', listener);
      h.streamOn(this[kId], type, listener, false, true);
      return this;
    }
    once(type, listener) {
      if (!CORE_EVENTS.has(type) || this[kId] === undefined) return super.once(type, listener);
      if (typeof listener !== 'function') throw invalidArgType('listener', 'function', listener);
      h.streamOn(this[kId], type, listener, true, false);
      return this;
    }
    removeListener(type, listener) {
      if (!CORE_EVENTS.has(type) || this[kId] === undefined) return super.removeListener(type, listener);
      h.streamOff(this[kId], type, listener);
      return this;
    }
    off(type, listener) {
      return this.removeListener(type, listener);
    }
    removeAllListeners(type) {
      if (type === undefined) {
        for (const t of CORE_EVENTS) h.streamOff(this[kId], t);
        return super.removeAllListeners();
      }
      if (!CORE_EVENTS.has(type)) return super.removeAllListeners(type);
      h.streamOff(this[kId], type);
      return this;
    }
    listenerCount(type) {
      if (!CORE_EVENTS.has(type)) return super.listenerCount(type);
      return h.streamListeners(this[kId], type)[0];
    }
    listeners(type) {
      if (!CORE_EVENTS.has(type)) return super.listeners(type);
      return h.streamListeners(this[kId], type)[1];
    }
    rawListeners(type) {
      return this.listeners(type);
    }
    emit(type, ...args) {
      if (!CORE_EVENTS.has(type) || this[kId] === undefined) return super.emit(type, ...args);
      return h.streamEmit(this[kId], type, args[0]);
    }
  }

  class Readable extends Stream {
    constructor(options) {
      super();
      init(this, options);
    }
    _read() {
      throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _read() method is not implemented');
    }
    // Indexes, not destructuring: the engine destructures through the iterator protocol.
    push(chunk, encoding) {
      if (chunk === null && this._decoder) return pushEnd(this);
      const c = readableChunk(this, chunk, encoding);
      if (c[3]) {
        // push() returned false: the trace has its `push` (nothing counted).
        h.streamErrorOrDestroy(this[kId], c[3], true);
        return false;
      }
      return h.streamPush(this[kId], c[0], c[1], c[2]);
    }
    unshift(chunk, encoding) {
      if (chunk === null) return h.streamPush(this[kId], null);
      const [value, kind, bytes, err] = readableChunk(this, chunk, encoding);
      if (err) {
        h.streamErrorOrDestroy(this[kId], err);
        return false;
      }
      return h.streamPush(this[kId], value, kind, bytes, true);
    }
    get readableEncoding() {
      return this._decoder?.encoding ?? null;
    }
    read(n) {
      return h.streamRead(this[kId], n);
    }
    setEncoding(encoding) {
      this._decoder = stringDecoder(encoding);
      h.streamCall('decoding', this[kId]);
      // What the stream holds already is decoded into one string.
      const held = h.streamBuffered(this[kId]);
      if (held.length > 0) {
        let content = '';
        for (const data of held) content += this._decoder.write(data);
        h.streamReplaceBuffer(this[kId], content, KIND_TEXT, content.length);
      }
      return this;
    }
    pipe(dest, options) {
      if (dest?.[kId] === undefined) {
        throw invalidArgType('destination', 'an instance of a Streamlab stream', dest);
      }
      // process.stdout and process.stderr are never ended by pipe().
      h.streamCall('pipe', this[kId], dest[kId], options?.end !== false && !dest._isStdio);
      dest.emit('pipe', this);
      return dest;
    }
    unpipe(dest) {
      if (dest === undefined) h.streamCall('unpipeAll', this[kId]);
      else if (dest[kId] !== undefined) h.streamCall('unpipe', this[kId], dest[kId]);
      return this;
    }
    pause() {
      h.streamCall('pause', this[kId]);
      return this;
    }
    resume() {
      h.streamCall('resume', this[kId]);
      return this;
    }
    isPaused() {
      return h.streamCall('isPaused', this[kId]);
    }
    destroy(err, cb) {
      if (typeof cb === 'function') this.once('close', () => cb(err));
      h.streamDestroy(this[kId], err);
      return this;
    }
    _destroy(err, cb) {
      cb(err);
    }
    [Symbol.asyncIterator]() {
      return createAsyncIterator(this);
    }
    static from(iterable, options) {
      return from(iterable, options);
    }
  }

  // Writable's internal `_write(stream, chunk, encoding, cb)`, shared by write() and end(chunk):
  // the checks and conversions, then the core's write. `fromEnd`: end(chunk) does not call
  // write(), so the trace has no `write` event for it.
  function writeChunk(stream, chunk, encoding, cb, fromEnd) {
    if (chunk === null) throw nodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
    let kind = KIND_OBJECT;
    let bytes = 1;
    // The encoding `_write` receives, decided as Node's `_write(stream, chunk, encoding)` does.
    if (!stream[kWritableObjectMode]) {
      if (!encoding) encoding = stream._defaultEncoding;
      if (typeof chunk === 'string') {
        if (stream._decodeStrings) {
          chunk = Buffer.from(chunk, encoding);
          encoding = 'buffer';
        }
      } else if (chunk instanceof Buffer) {
        encoding = 'buffer';
      } else if (ArrayBuffer.isView(chunk)) {
        chunk = toBuffer(chunk);
        encoding = 'buffer';
      } else {
        throw invalidArgType('chunk', 'string or an instance of Buffer, TypedArray, or DataView', chunk);
      }
      kind = typeof chunk === 'string' ? 1 : KIND_BUFFER;
      // A string kept as it is (decodeStrings: false) counts its UTF-16 length, as in Node.
      bytes = typeof chunk === 'string' ? chunk.length : lengthOf(chunk);
    }
    return h.streamWrite(stream[kId], chunk, kind, bytes, typeof cb === 'function' ? cb : undefined, encoding, fromEnd);
  }

  const writableMethods = {
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') {
        cb = encoding;
        encoding = null;
      }
      return writeChunk(this, chunk, encoding, cb, false);
    },
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') {
        cb = chunk;
        chunk = null;
      } else if (typeof encoding === 'function') {
        cb = encoding;
        encoding = null;
      }
      if (chunk !== null && chunk !== undefined) writeChunk(this, chunk, encoding, undefined, true);
      h.streamEnd(this[kId], typeof cb === 'function' ? cb : undefined);
      return this;
    },
    cork() {
      h.streamCall('cork', this[kId]);
    },
    uncork() {
      h.streamCall('uncork', this[kId]);
    },
    setDefaultEncoding(encoding) {
      this._defaultEncoding = encoding;
      return this;
    },
  };
  // push and write are natives for the chunks most programs pass (methods.rs): the methods
  // above take the rest, with Node's checks and conversions.
  const [nativePush, nativeWrite] = h.streamMethods(Readable.prototype.push, writableMethods.write);
  Object.defineProperty(Readable.prototype, 'push', { value: nativePush, writable: true, configurable: true });
  writableMethods.write = nativeWrite;

  // Writable.prototype._write: a stream with only `_writev` writes one chunk through it.
  function defaultWrite(chunk, encoding, cb) {
    if (this._writev) this._writev([{ chunk, encoding }], cb);
    else throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _write() method is not implemented');
  }

  class Writable extends Stream {
    constructor(options) {
      super();
      init(this, options);
    }
    _write(chunk, encoding, cb) {
      return defaultWrite.call(this, chunk, encoding, cb);
    }
    destroy(err, cb) {
      if (typeof cb === 'function') this.once('close', () => cb(err));
      h.streamDestroy(this[kId], err);
      return this;
    }
    _destroy(err, cb) {
      cb(err);
    }
    pipe() {
      h.streamErrorOrDestroy(this[kId], nodeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'));
    }
  }
  Object.assign(Writable.prototype, writableMethods);
  for (const name of Object.keys(writableMethods)) {
    Object.defineProperty(Writable.prototype, name, { enumerable: false });
  }

  class Duplex extends Readable {
    _write(chunk, encoding, cb) {
      return defaultWrite.call(this, chunk, encoding, cb);
    }
  }
  Writable.prototype._writev = null;
  Duplex.prototype._writev = null;
  for (const [name, f] of Object.entries(writableMethods)) {
    Object.defineProperty(Duplex.prototype, name, { value: f, writable: true, configurable: true });
  }
  // A Duplex is a Writable too (Node's Symbol.hasInstance on Writable).
  Object.defineProperty(Writable, Symbol.hasInstance, {
    value(object) {
      if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
      return this === Writable && object instanceof Duplex;
    },
  });

  class Transform extends Duplex {
    _transform() {
      throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _transform() method is not implemented');
    }
  }

  class PassThrough extends Transform {
    _transform(chunk, _encoding, cb) {
      cb(null, chunk);
    }
  }

  // `stream.write = f` (a program counting its writes): pipe must call f too, as Node's pipe
  // calls `dest.write(chunk)`; the core is told once.
  const kWrite = Symbol('streamlab.write');
  for (const proto of [Writable.prototype, Duplex.prototype]) {
    Object.defineProperty(proto, 'write', {
      get() {
        return this[kWrite] ?? writableMethods.write;
      },
      set(f) {
        this[kWrite] = f;
        if (this[kId] !== undefined) h.streamCall('writeMethod', this[kId]);
      },
      configurable: true,
    });
  }

  // The state behind Node's properties, read from the core.
  const readableProps = [
    'readableLength',
    'readableHighWaterMark',
    'readableObjectMode',
    'readableFlowing',
    'readableEnded',
    'readableAborted',
    'readableDidRead',
    'readable',
  ];
  const writableProps = [
    'writableLength',
    'writableHighWaterMark',
    'writableObjectMode',
    'writableEnded',
    'writableFinished',
    'writableNeedDrain',
    'writableCorked',
    'writable',
  ];
  const common = ['destroyed', 'closed', 'errored'];
  function defineProps(proto, names) {
    for (const name of names) {
      Object.defineProperty(proto, name, {
        get() {
          return this[kId] === undefined ? undefined : h.streamGet(this[kId], name);
        },
        set(v) {
          if (name === 'readableFlowing' && this[kId] !== undefined) h.streamCall('flowing', this[kId], !!v);
          else if (name === 'destroyed' && v && this[kId] !== undefined) h.streamDestroy(this[kId]);
        },
        configurable: true,
      });
    }
  }
  defineProps(Readable.prototype, [...readableProps, ...common]);
  defineProps(Writable.prototype, [...writableProps, ...common]);
  defineProps(Duplex.prototype, writableProps);

  // How the core calls the program (host: `dispatch(what, stream, ...)`).
  // A chunk the core wrote itself (pipe's `dest.write(chunk)`): what Node's write() makes of
  // it, [chunk, encoding].
  // Calls `method` (the program's _write or _transform) with it and `cb`.
  function callWritten(stream, method, chunk, decided, encoding, cb) {
    if (decided) return method.call(stream, chunk, encoding, cb);
    if (stream[kWritableObjectMode]) return method.call(stream, chunk, undefined, cb);
    if (typeof chunk === 'string' && stream._decodeStrings)
      return method.call(stream, Buffer.from(chunk), 'buffer', cb);
    return method.call(stream, chunk, chunk instanceof Buffer ? 'buffer' : stream._defaultEncoding, cb);
  }
  // What `_writev` gets for a buffered write: callWritten's [chunk, encoding].
  function writtenAs(stream, chunk, decided, encoding) {
    if (decided) return [chunk, encoding];
    if (stream[kWritableObjectMode]) return [chunk, undefined];
    if (typeof chunk === 'string' && stream._decodeStrings) return [Buffer.from(chunk), 'buffer'];
    return [chunk, chunk instanceof Buffer ? 'buffer' : stream._defaultEncoding];
  }
  function multipleCallback(stream) {
    h.streamErrorOrDestroy(stream[kId], nodeError(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'));
  }
  function transformCallback(stream, what) {
    const id = stream[kId];
    return (err, data) => {
      if (err != null || data == null) return h.streamDone(what, id, err);
      const c = readableChunk(stream, data);
      if (c[3]) {
        h.streamErrorOrDestroy(id, c[3]);
        return h.streamDone(what, id, undefined);
      }
      return h.streamDone(what, id, undefined, c[0], c[1], c[2]);
    };
  }
  function dispatch(what, stream, a, b, c) {
    const id = stream?.[kId];
    switch (what) {
      case 'read':
        try {
          stream._read(stream[kReadableHighWaterMark]);
        } catch (err) {
          h.streamErrorOrDestroy(id, err);
        }
        return;
      case 'write':
        callWritten(stream, stream._write, a, b, c, (err) => h.streamDone('write', id, err));
        return;
      case 'transform':
        callWritten(stream, stream._transform, a, b, c, transformCallback(stream, 'transform'));
        return;
      case 'transformDone':
        // _transform's callback with data the native leaves here (methods.rs).
        transformCallback(stream, 'transform')(a, b);
        return;
      case 'writev': {
        // clearBuffer's chunks: Node's buffered entries, { chunk, encoding, callback }.
        const chunks = a.map((w) => {
          const [chunk, encoding] = writtenAs(stream, w[0], w[1], w[2]);
          return { chunk, encoding, callback: w[3] ?? nop };
        });
        chunks.allBuffers = chunks.every((w) => w.encoding === 'buffer');
        stream._writev(chunks, (err) => h.streamDone('write', id, err));
        return;
      }
      case 'final': {
        let called = false;
        const cb = (err) => {
          if (called) return multipleCallback(stream);
          called = true;
          h.streamDone('final', id, err);
        };
        try {
          stream._final(cb);
        } catch (err) {
          cb(err);
        }
        return;
      }
      case 'flush':
        try {
          stream._flush(transformCallback(stream, 'flush'));
        } catch (err) {
          h.streamDone('final', id, err);
        }
        return;
      case 'destroy': {
        let called = false;
        const cb = (err) => {
          if (called) return;
          called = true;
          h.streamDone('destroy', id, err);
        };
        try {
          stream._destroy(a, cb);
        } catch (err) {
          cb(err);
        }
        return;
      }
      case 'uncaught': {
        // Node's emit throws an 'error' nobody listens to. Thrown from one of Node's own ticks
        // (b), its report starts at events.js' `throw er`; thrown into the program's call,
        // where the program made the error.
        const on = stream?.constructor?.name;
        if (a !== null && typeof a === 'object') {
          const emitted = `\nEmitted 'error' event on ${on} instance at:\n    at emitErrorNT (node:internal/streams/destroy:169:8)`;
          if (!a[kOrigin]) Object.defineProperty(a, kOrigin, { value: {}, configurable: true });
          const origin = a[kOrigin];
          if (b || origin.internal) {
            origin.internal = 'events';
            origin.stackNote = emitted;
          } else {
            origin.emitted = '';
            origin.on = on;
          }
        }
        return a;
      }
      case 'slice':
        return typeof a === 'string' ? a.slice(b, c) : a.subarray(b, c);
      case 'concat':
        return typeof a[0] === 'string' ? a.join('') : Buffer.concat(a);
    }
  }

  // ---- pipeline, finished ------------------------------------------------------------------
  function isStream(s) {
    return s?.[kId] !== undefined;
  }
  function pipeline(...streams) {
    const callback = streams.pop();
    if (typeof callback !== 'function') {
      throw invalidArgType('streams[stream.length - 1]', 'function', callback);
    }
    if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
    if (streams.length < 2) {
      throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "streams" argument must be specified');
    }
    // Functions and iterables as stages: Node's pipelineImpl, in JavaScript as Node has it.
    if (!streams.every(isStream)) return generalPipeline(streams, callback);
    h.streamPipeline(
      streams.map((s) => s[kId]),
      callback,
    );
    return streams[streams.length - 1];
  }
  function pipelinePromise(...streams) {
    return new Promise((resolve, reject) => {
      const last = streams[streams.length - 1];
      let options;
      if (last && typeof last === 'object' && !isStream(last) && !isIterable(last)) options = streams.pop();
      const callback = (err, value) => (err ? reject(err) : resolve(value));
      if (options?.signal !== undefined || options?.end !== undefined) {
        generalPipeline(streams, callback, { signal: options.signal, end: options.end });
      } else {
        pipeline(...streams, callback);
      }
    });
  }
  function finished(stream, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
    if (!isStream(stream)) throw invalidArgType('stream', 'an instance of a Streamlab stream', stream);
    const readable = options?.readable ?? stream instanceof Readable;
    const writable = options?.writable ?? stream instanceof Writable;
    // Node's eos returns a cleanup that removes its listeners: here it silences the callback.
    let cleaned = false;
    h.streamFinished(stream[kId], readable, writable, (err) => {
      if (!cleaned) callback.call(stream, err);
    });
    const signal = options?.signal;
    if (signal !== undefined) {
      validateAbortSignal(signal, 'options.signal');
      const abort = () => {
        if (cleaned) return;
        cleaned = true;
        callback.call(stream, new AbortError(undefined, { cause: signal.reason }));
      };
      if (signal.aborted) process.nextTick(abort);
      else {
        const disposable = addAbortListener(signal, abort);
        const original = callback;
        callback = (err) => {
          disposable.dispose();
          original.call(stream, err);
        };
      }
    }
    return () => {
      cleaned = true;
    };
  }
  // events.addAbortListener: an aborted signal calls the listener in a microtask.
  function addAbortListener(signal, listener) {
    if (signal.aborted) {
      queueMicrotask(() => listener());
      return { dispose: nop };
    }
    signal.addEventListener('abort', listener, { once: true });
    return { dispose: () => signal.removeEventListener('abort', listener) };
  }

  // stream.addAbortSignal(signal, stream): aborting destroys the stream with an AbortError.
  function addAbortSignal(signal, stream) {
    if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
      throw nodeError(
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        `The "signal" argument must be an instance of AbortSignal.${describeReceived(signal)}`,
      );
    }
    if (!isStream(stream)) {
      throw nodeError(
        TypeError,
        'ERR_INVALID_ARG_TYPE',
        `The "stream" argument must be an instance of ReadableStream, WritableStream, or Stream.${describeReceived(stream)}`,
      );
    }
    const onAbort = () => stream.destroy(new AbortError(undefined, { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else finished(stream, addAbortListener(signal, onAbort).dispose);
    return stream;
  }

  // ---- pipeline with functions and iterables (lib/internal/streams/pipeline.js) -------------
  // Node builds no stream for a generator stage: each function gets the previous stage as an
  // async iterable and returns one; iterables are pumped into the next stream with write(), and
  // an async function at the end writes its result to a PassThrough the pipeline returns.
  function isIterable(obj, isAsync) {
    if (obj == null) return false;
    if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
    if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
    return typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function';
  }
  const isReadableStream = (s) => isStream(s) && s instanceof Readable;
  // utils.isReadable: readable and not yet ended.
  function isReadableNow(s) {
    if (!isReadableStream(s)) return null;
    return !s.destroyed && s.readable && !s.readableEnded;
  }
  function invalidReturnValue(input, name, value) {
    // determineSpecificType, as describeReceived words it after "Received ".
    const type = describeReceived(value).slice(' Received '.length);
    return nodeError(
      TypeError,
      'ERR_INVALID_RETURN_VALUE',
      `Expected ${input} to be returned from the "${name}" function but got ${type}.`,
    );
  }
  function aggregateTwoErrors(inner, outer) {
    if (inner && outer && inner !== outer) {
      if (Array.isArray(outer.errors)) {
        outer.errors.push(inner);
        return outer;
      }
      const err = new AggregateError([outer, inner], outer.message);
      err.code = outer.code;
      return err;
    }
    return inner || outer;
  }
  function pipelineDestroyer(stream, reading, writing) {
    let done = false;
    stream.on('close', () => {
      done = true;
    });
    const cleanup = finished(stream, { readable: reading, writable: writing }, (err) => {
      done = !err;
    });
    return {
      destroy: (err) => {
        if (done) return;
        done = true;
        destroyer(
          stream,
          err || nodeError(Error, 'ERR_STREAM_DESTROYED', 'Cannot call pipe after a stream was destroyed'),
        );
      },
      cleanup,
    };
  }
  async function pumpToNode(iterable, writable, finish, { end }) {
    let error;
    let onresolve = null;
    const resume = (err) => {
      if (err) error = err;
      if (onresolve) {
        const callback = onresolve;
        onresolve = null;
        callback();
      }
    };
    const wait = () =>
      new Promise((resolve, reject) => {
        if (error) reject(error);
        else onresolve = () => (error ? reject(error) : resolve());
      });
    writable.on('drain', resume);
    const cleanup = finished(writable, { readable: false }, resume);
    try {
      if (writable.writableNeedDrain) await wait();
      for await (const chunk of iterable) {
        if (!writable.write(chunk)) await wait();
      }
      if (end) {
        writable.end();
        await wait();
      }
      finish();
    } catch (err) {
      finish(error !== err ? aggregateTwoErrors(error, err) : err);
    } finally {
      cleanup();
      writable.off('drain', resume);
    }
  }
  // pipeline.js' pipe(): a stream into a stream, ended by the pipeline itself.
  // `lateError`: Node 22 only records an error that comes after pipe's own completions.
  function pipeStreams(src, dst, finish, lateError, { end }) {
    let ended = false;
    dst.on('close', () => {
      if (!ended) lateError(prematureClose());
    });
    src.pipe(dst, { end: false });
    if (end) {
      const endFn = () => {
        ended = true;
        dst.end();
      };
      if (src.readableEnded && !src.errored) process.nextTick(endFn);
      else src.once('end', endFn);
    } else {
      finish();
    }
    finished(src, { readable: true, writable: false }, (err) => {
      if (err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && h.streamGet(src[kId], 'readableEndedNotErrored')) {
        src.once('end', finish).once('error', finish);
      } else {
        finish(err);
      }
    });
    return finished(dst, { readable: false, writable: true }, finish);
  }
  function prematureClose() {
    return nodeError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close');
  }
  function generalPipeline(streams, callback, opts) {
    let called = false;
    const once = (err, value) => {
      if (called) return;
      called = true;
      callback(err, value);
    };
    const ac = new AbortController();
    const signal = ac.signal;
    const outerSignal = opts?.signal;
    const lastStreamCleanup = [];
    if (outerSignal !== undefined) validateAbortSignal(outerSignal, 'options.signal');
    function abort() {
      finishImpl(new AbortError(undefined, { cause: outerSignal?.reason }));
    }
    const disposable = outerSignal ? addAbortListener(outerSignal, abort) : null;
    let error;
    let value;
    const destroys = [];
    let finishCount = 0;
    function finish(err) {
      finishImpl(err, --finishCount === 0);
    }
    const lateError = NODE22 ? (err) => finishImpl(err, false) : finish;
    function finishImpl(err, final) {
      if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
      if (!error && !final) return;
      while (destroys.length) destroys.shift()(error);
      disposable?.dispose();
      ac.abort();
      if (final) {
        if (!error) for (const fn of lastStreamCleanup) fn();
        process.nextTick(once, error, value);
      }
    }
    let ret;
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i];
      const reading = i < streams.length - 1;
      const writing = i > 0;
      const end = reading || opts?.end !== false;
      const isLastStream = i === streams.length - 1;
      if (isStream(stream)) {
        if (end) {
          const { destroy, cleanup } = pipelineDestroyer(stream, reading, writing);
          destroys.push(destroy);
          if (isReadableNow(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        }
        const onError = (err) => {
          if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') lateError(err);
        };
        stream.on('error', onError);
        if (isReadableNow(stream) && isLastStream)
          lastStreamCleanup.push(() => stream.removeListener('error', onError));
      }
      if (i === 0) {
        if (typeof stream === 'function') {
          ret = stream({ signal });
          if (!isIterable(ret)) throw invalidReturnValue('Iterable, AsyncIterable or Stream', 'source', ret);
        } else if (isIterable(stream) || isReadableStream(stream)) {
          ret = stream;
        } else {
          throw invalidArgType('streams[0]', 'an instance of a Streamlab stream, Iterable or function', stream);
        }
      } else if (typeof stream === 'function') {
        if (!isIterable(ret)) {
          throw invalidArgType('val', 'an instance of Readable, Iterable, or AsyncIterable', ret);
        }
        ret = stream(ret, { signal });
        if (reading) {
          if (!isIterable(ret, true)) throw invalidReturnValue('AsyncIterable', `transform[${i - 1}]`, ret);
        } else {
          // The last stage is a function: a PassThrough stands for it, so that pipeline()
          // returns a stream.
          const pt = new PassThrough({ objectMode: true });
          const then = ret?.then;
          if (typeof then === 'function') {
            finishCount++;
            then.call(
              ret,
              (val) => {
                value = val;
                if (val != null) pt.write(val);
                if (end) pt.end();
                process.nextTick(finish);
              },
              (err) => {
                pt.destroy(err);
                process.nextTick(finish, err);
              },
            );
          } else if (isIterable(ret, true)) {
            finishCount++;
            pumpToNode(ret, pt, finish, { end });
          } else {
            throw invalidReturnValue('AsyncIterable or Promise', 'destination', ret);
          }
          ret = pt;
          const { destroy, cleanup } = pipelineDestroyer(ret, false, true);
          destroys.push(destroy);
          if (isLastStream) lastStreamCleanup.push(cleanup);
        }
      } else if (isStream(stream)) {
        if (isReadableStream(ret)) {
          finishCount += 2;
          const cleanup = pipeStreams(ret, stream, finish, lateError, { end });
          if (isReadableNow(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        } else if (isIterable(ret)) {
          finishCount++;
          pumpToNode(ret, stream, finish, { end });
        } else {
          throw invalidArgType('val', 'an instance of Readable, Iterable, or AsyncIterable', ret);
        }
        ret = stream;
      } else {
        throw invalidArgType(`streams[${i}]`, 'an instance of a Streamlab stream or function', stream);
      }
    }
    if (signal.aborted || outerSignal?.aborted) process.nextTick(abort);
    return ret;
  }

  function finishedPromise(stream, options) {
    return new Promise((resolve, reject) => finished(stream, options, (err) => (err ? reject(err) : resolve())));
  }

  // ---- Readable.from and async iteration (lib/internal/streams/from.js, readable.js) -------
  function from(iterable, options) {
    if (typeof iterable === 'string' || iterable instanceof Buffer) {
      return new Readable({
        objectMode: true,
        ...options,
        read() {
          this.push(iterable);
          this.push(null);
        },
      });
    }
    let iterator;
    let isAsync;
    if (iterable?.[Symbol.asyncIterator]) {
      isAsync = true;
      iterator = iterable[Symbol.asyncIterator]();
    } else if (iterable?.[Symbol.iterator]) {
      isAsync = false;
      iterator = iterable[Symbol.iterator]();
    } else {
      throw invalidArgType('iterable', 'an instance of Iterable', iterable);
    }
    let reading = false;
    const readable = new Readable({
      objectMode: true,
      highWaterMark: 1,
      ...options,
      read() {
        if (!reading) {
          reading = true;
          next();
        }
      },
      destroy(error, cb) {
        close(error).then(
          () => process.nextTick(cb, error),
          (e) => process.nextTick(cb, e || error),
        );
      },
    });
    async function close(error) {
      const hadError = error !== undefined && error !== null;
      if (hadError && typeof iterator.throw === 'function') {
        const { value, done } = await iterator.throw(error);
        await value;
        if (done) return;
      }
      if (typeof iterator.return === 'function') {
        const { value } = await iterator.return();
        await value;
      }
    }
    async function next() {
      for (;;) {
        try {
          const { value, done } = isAsync ? await iterator.next() : iterator.next();
          if (done) {
            readable.push(null);
          } else {
            const res = value && typeof value.then === 'function' ? await value : value;
            if (res === null) {
              reading = false;
              throw nodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
            } else if (readable.push(res)) {
              continue;
            } else {
              reading = false;
            }
          }
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    return readable;
  }

  async function* createAsyncIterator(stream) {
    let callback = nop;
    function next(resolve) {
      if (this === stream) {
        callback();
        callback = nop;
      } else {
        callback = resolve;
      }
    }
    stream.on('readable', next);
    let error;
    finished(stream, { writable: false }, (err) => {
      error = err ? (error ?? err) : null;
      callback();
      callback = nop;
    });
    try {
      while (true) {
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) {
          yield chunk;
        } else if (error) {
          throw error;
        } else if (error === null) {
          return;
        } else {
          await new Promise(next);
        }
      }
    } catch (err) {
      error = error ?? err;
      throw error;
    } finally {
      if (error === undefined || h.streamGet(stream[kId], 'autoDestroy') !== false) {
        destroyer(stream, null);
      } else {
        stream.off('readable', next);
      }
    }
  }

  // destroyImpl.destroyer: a stream left before it finished is destroyed with an AbortError.
  function destroyer(stream, err) {
    if (stream.destroyed) return;
    const readable = stream instanceof Readable && stream.readable && !stream.readableEnded;
    const writable = stream instanceof Writable && stream.writable && !stream.writableEnded;
    if (!err && (readable || writable)) err = new AbortError();
    stream.destroy(err);
  }

  // process.stdout / process.stderr: Writables whose writes land at once (pipes are
  // synchronous on Linux), made when the program first touches them.
  function stdio(fd) {
    const s = new Writable({
      [kName]: fd === 1 ? 'process.stdout' : 'process.stderr',
      write(chunk, _encoding, cb) {
        h.write(fd, typeof chunk === 'string' ? chunk : chunk.toString());
        cb();
      },
    });
    s._isStdio = true;
    s.isTTY = false;
    s.fd = fd;
    return s;
  }

  const promises = { pipeline: pipelinePromise, finished: finishedPromise };
  Stream.Readable = Readable;
  Stream.Writable = Writable;
  Stream.Duplex = Duplex;
  Stream.Transform = Transform;
  Stream.PassThrough = PassThrough;
  Stream.Stream = Stream;
  Stream.pipeline = pipeline;
  Stream.finished = finished;
  Stream.addAbortSignal = addAbortSignal;
  Stream.promises = promises;
  Object.defineProperty(pipeline, Symbol.for('nodejs.util.promisify.custom'), { value: pipelinePromise });
  return { stream: Stream, promises, dispatch, stdio };
};
