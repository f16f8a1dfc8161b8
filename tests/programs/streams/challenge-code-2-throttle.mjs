// A solution to the throttle challenge's code step (www/challenges/throttle-code.js): the
// page's starter with its TODO written. The Transform passes each chunk on when the bytes
// taken so far are due at RATE bytes per second; backpressure holds the source back.
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
    this.start ??= performance.now();
    this.bytes += chunk.length;
    const due = this.start + (this.bytes / this.bytesPerSecond) * 1000;
    setTimeout(() => callback(null, chunk), Math.max(0, due - performance.now()));
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
console.log(`${received} bytes in ${seconds} s: ${Math.round(received / seconds)} bytes/s`);
