// Every kind of chunk through push, write, _write and _transform's callback: the natives take
// Buffers in byte streams and anything in object mode, stream.js the rest (methods.rs).
import { Readable, Writable, Transform, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const show = (c) => (Buffer.isBuffer(c) ? `Buffer(${c.length}) ${c.toString()}` : typeof c === 'string' ? `'${c}'` : JSON.stringify(c));

// Byte mode: a Buffer, a Uint8Array, strings in two encodings, an empty Buffer.
const bytes = new Readable({ read() {} });
bytes.push(Buffer.from('buf'));
bytes.push(new Uint8Array([104, 105]));
bytes.push('café');
bytes.push('68657821', 'hex');
bytes.push(Buffer.alloc(0));
bytes.push(null);
for await (const c of bytes) console.log('byte chunk', show(c), c.constructor.name);

// Object mode: strings, Buffers, Uint8Arrays, objects, numbers.
const objects = new Readable({ objectMode: true, read() {} });
for (const v of ['é', Buffer.from('ab'), new Uint8Array(3), { n: 1 }, 0, false]) objects.push(v);
objects.push(null);
for await (const c of objects) console.log('object chunk', show(c), objects.readableLength);

// Writes with their encodings, as _write receives them.
const seen = [];
const sink = new Writable({
  highWaterMark: 8,
  write(chunk, encoding, cb) {
    seen.push(`${chunk.toString('hex')} ${encoding} ${this.writableLength}`);
    cb();
  },
});
console.log(sink.write(Buffer.from('12345')), sink.writableLength);
console.log(sink.write('héllo'), sink.writableLength);
console.log(sink.write('ff00', 'hex'), sink.writableLength);
console.log(sink.write(new Uint8Array([1, 2])), sink.writableLength);
sink.write(Buffer.from('cb'), () => console.log('write callback', sink.writableLength));
sink.end(Buffer.from('end'));
await new Promise((r) => sink.on('finish', r));
console.log(seen.join('\n'));

const objectSink = new Writable({
  objectMode: true,
  write(chunk, encoding, cb) {
    console.log('object write', show(chunk), encoding);
    cb();
  },
});
objectSink.write({ a: 1 });
objectSink.write('s', 'latin1');
objectSink.write(7, () => {});
objectSink.end();
await new Promise((r) => objectSink.on('finish', r));

// _transform's callback with a Buffer, a string, nothing, and an object into object mode.
const upper = new Transform({
  transform(chunk, encoding, cb) {
    const s = chunk.toString();
    if (s === 'skip') cb();
    else if (s === 'text') cb(null, 'as text');
    else cb(null, Buffer.from(s.toUpperCase()));
  },
});
const toObjects = new Transform({
  readableObjectMode: true,
  transform(chunk, encoding, cb) {
    cb(null, { len: chunk.length, encoding });
  },
});
const out = [];
await pipeline(
  Readable.from(['one', 'skip', 'text', 'two'], { objectMode: false }),
  upper,
  new PassThrough(),
  toObjects,
  new Writable({
    objectMode: true,
    write(o, e, cb) {
      out.push(JSON.stringify(o));
      cb();
    },
  }),
);
console.log(out.join(' '));

// A _read that throws: Node's errorOrDestroy.
const thrower = new Readable({
  read() {
    throw new Error('read failed');
  },
});
thrower.on('error', (e) => console.log('error event', e.message, thrower.destroyed));
thrower.on('close', () => console.log('close'));
thrower.resume();
await new Promise((r) => setTimeout(r, 5));

// UTF-8 edge cases both ways.
console.log(Buffer.from([0xe2, 0x82]).toString(), Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xc3]).toString());
console.log(Buffer.from('\ud83d').length, Buffer.byteLength('a\ud83d\ude00b'), Buffer.from('😀').toString('hex'));
