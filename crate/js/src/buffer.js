// Node's `Buffer` basics: a Uint8Array with encodings (utf8, hex, base64, latin1, ascii, utf16le).
(h) => {
  // UTF-8 both ways and making a Buffer are natives (buffers.rs): byte loops here cost
  // hundreds of engine instructions a byte.
  const { bufferInit, bufferAlloc, utf8Bytes, utf8Length, utf8Text } = h.host;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function base64Encode(bytes, start, end) {
    let out = '';
    for (let i = start; i < end; i += 3) {
      const n = (bytes[i] << 16) | ((i + 1 < end ? bytes[i + 1] : 0) << 8) | (i + 2 < end ? bytes[i + 2] : 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < end ? B64[(n >> 6) & 63] : '=';
      out += i + 2 < end ? B64[n & 63] : '=';
    }
    return out;
  }
  function base64Decode(str) {
    const out = [];
    let bits = 0;
    let acc = 0;
    for (const ch of str) {
      const v = ch === '-' ? 62 : ch === '_' ? 63 : B64.indexOf(ch);
      if (v < 0) continue;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((acc >> bits) & 255);
      }
    }
    return out;
  }
  // UTF-16 little-endian (utf16le, ucs2): two bytes a code unit; an odd last byte is dropped.
  function utf16leEncode(str) {
    const out = new Array(str.length * 2);
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      out[2 * i] = c & 255;
      out[2 * i + 1] = c >> 8;
    }
    return out;
  }
  function utf16leDecode(bytes, start, end) {
    let out = '';
    for (let i = start; i + 1 < end; i += 2) out += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
    return out;
  }
  function normalizeEncoding(enc) {
    const e = enc === undefined ? 'utf8' : String(enc).toLowerCase();
    if (e === 'utf8' || e === 'utf-8') return 'utf8';
    if (e === 'hex' || e === 'base64' || e === 'ascii') return e;
    if (e === 'latin1' || e === 'binary') return 'latin1';
    if (e === 'utf16le' || e === 'utf-16le' || e === 'ucs2' || e === 'ucs-2') return 'utf16le';
    throw h.nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`);
  }
  function bytesOf(str, enc) {
    switch (normalizeEncoding(enc)) {
      case 'utf8':
        return utf8Bytes(str);
      case 'hex': {
        const out = [];
        for (let i = 0; i + 1 < str.length; i += 2) {
          const v = Number.parseInt(str.slice(i, i + 2), 16);
          if (Number.isNaN(v)) break;
          out.push(v);
        }
        return out;
      }
      case 'base64':
        return base64Decode(str);
      case 'utf16le':
        return utf16leEncode(str);
      default:
        return Array.from(str, (c) => c.charCodeAt(0) & 255);
    }
  }
  // Writes `pattern` over [start, end) once, then doubles it with copyWithin (a memmove in
  // the engine): Uint8Array's own fill sets one element at a time, which made
  // Buffer.alloc(1024, 0x41) cost most of a stream lesson's run.
  // Filling is done in few engine calls: in the engine a typed array's own fill() sets one
  // element at a time (about 700 instructions a byte), while set() and copyWithin() are one
  // memmove plus a fixed cost per call. Prototype methods are called directly, because reading
  // a named property of a typed array (buf.length, buf.copyWithin) first tries the name as an
  // index, a string-to-number conversion each time.
  const setOf = Uint8Array.prototype.set;
  const subarrayOf = Uint8Array.prototype.subarray;
  const copyWithin = Uint8Array.prototype.copyWithin;
  const lengthGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length').get;
  const lengthOf = (view) => lengthGetter.call(view);
  // Writes `pattern` over [start, end) once, then doubles what is written with copyWithin.
  function fastFill(buf, pattern, start, end) {
    const size = pattern.length;
    if (end <= start || size === 0) return buf;
    if (size === 1) return fillByte(buf, pattern[0], start, end);
    const first = Math.min(size, end - start);
    for (let i = 0; i < first; i++) buf[start + i] = pattern[i];
    return doubleFrom(buf, first, start, end);
  }
  function doubleFrom(buf, done, start, end) {
    while (start + done < end) {
      const n = Math.min(done, end - start - done);
      copyWithin.call(buf, start + done, start, start + n);
      done += n;
    }
    return buf;
  }
  // One byte repeated: the first BLOCK bytes copied from a block made once for that byte.
  const BLOCK = 4096;
  const blocks = new Map();
  function fillByte(buf, byte, start, end) {
    let block = blocks.get(byte);
    if (!block) {
      block = new Uint8Array(BLOCK);
      block[0] = byte;
      doubleFrom(block, 1, 0, BLOCK);
      blocks.set(byte, block);
    }
    const first = Math.min(BLOCK, end - start);
    setOf.call(buf, first === BLOCK ? block : subarrayOf.call(block, 0, first), start);
    return doubleFrom(buf, first, start, end);
  }

  class Buffer extends Uint8Array {
    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') {
        const bytes = bytesOf(value, encodingOrOffset);
        return bytes instanceof Buffer ? bytes : Buffer.from(bytes);
      }
      if (value instanceof ArrayBuffer) return new Buffer(value, encodingOrOffset ?? 0, length);
      if (value !== null && typeof value === 'object' && 'length' in value) {
        const b = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 255;
        return b;
      }
      throw h.invalidArgType(
        'first',
        'string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object',
        value,
      );
    }
    static alloc(size, fill) {
      if (fill === undefined || typeof fill === 'number') {
        const made = bufferAlloc(size, fill === undefined ? 0 : fill & 255);
        if (made !== undefined) return made;
      }
      const b = new Buffer(size);
      if (typeof fill === 'number') fillByte(b, fill & 255, 0, lengthOf(b));
      else if (fill !== undefined) b.fill(fill);
      return b;
    }
    // buf.fill(value[, offset[, end]][, encoding]): a number, a string (its bytes repeated) or
    // bytes (repeated).
    fill(value, offset, end, encoding) {
      if (typeof offset === 'string') {
        encoding = offset;
        offset = 0;
        end = this.length;
      } else if (typeof end === 'string') {
        encoding = end;
        end = this.length;
      }
      const start = offset === undefined ? 0 : Number(offset);
      const stop = end === undefined ? this.length : Math.min(Number(end), this.length);
      let pattern;
      if (typeof value === 'string') pattern = value.length === 0 ? [0] : bytesOf(value, encoding);
      else if (value instanceof Uint8Array) pattern = value;
      else pattern = [Number(value) & 255];
      return fastFill(this, pattern, start, stop);
    }
    static allocUnsafe(size) {
      return bufferAlloc(size, 0) ?? new Buffer(size);
    }
    static byteLength(value, enc) {
      if (typeof value !== 'string') return value.byteLength;
      return normalizeEncoding(enc) === 'utf8' ? utf8Length(value) : bytesOf(value, enc).length;
    }
    static isBuffer(value) {
      return value instanceof Buffer;
    }
    static isEncoding(enc) {
      try {
        normalizeEncoding(enc);
        return true;
      } catch {
        return false;
      }
    }
    static concat(list, total) {
      const length = total ?? list.reduce((n, b) => n + b.length, 0);
      const out = Buffer.alloc(length);
      let at = 0;
      for (const b of list) {
        if (at >= length) break;
        out.set(b.subarray(0, Math.min(b.length, length - at)), at);
        at += b.length;
      }
      return out;
    }
    static compare(a, b) {
      return a.compare(b);
    }
    toString(enc, start = 0, end = this.length) {
      const s = Math.max(0, start);
      const e = Math.min(this.length, end);
      if (e <= s) return '';
      switch (normalizeEncoding(enc)) {
        case 'utf8':
          return utf8Text(this, s, e);
        case 'hex': {
          let out = '';
          for (let i = s; i < e; i++) out += this[i].toString(16).padStart(2, '0');
          return out;
        }
        case 'base64':
          return base64Encode(this, s, e);
        case 'utf16le':
          return utf16leDecode(this, s, e);
        case 'ascii': {
          let out = '';
          for (let i = s; i < e; i++) out += String.fromCharCode(this[i] & 127);
          return out;
        }
        default: {
          let out = '';
          for (let i = s; i < e; i++) out += String.fromCharCode(this[i]);
          return out;
        }
      }
    }
    toJSON() {
      return { type: 'Buffer', data: Array.from(this) };
    }
    equals(other) {
      return this.compare(other) === 0;
    }
    compare(other) {
      const n = Math.min(this.length, other.length);
      for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
      return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
    }
    slice(start, end) {
      return this.subarray(start, end);
    }
    readUInt8(offset = 0) {
      return this[offset];
    }
    write(str, offset = 0, enc = 'utf8') {
      const bytes = bytesOf(str, enc).slice(0, this.length - offset);
      this.set(bytes, offset);
      return bytes.length;
    }
  }
  bufferInit(Buffer.prototype);
  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }
    encode(str = '') {
      const bytes = utf8Bytes(String(str));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }
  class TextDecoder {
    get encoding() {
      return 'utf-8';
    }
    decode(bytes) {
      if (bytes === undefined) return '';
      const view =
        bytes instanceof ArrayBuffer
          ? new Uint8Array(bytes)
          : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return utf8Text(view, 0, view.length);
    }
  }
  return { Buffer, TextEncoder, TextDecoder };
};
