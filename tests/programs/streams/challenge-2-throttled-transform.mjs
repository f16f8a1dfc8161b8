// A solution to the backpressure lesson's Challenge 2: a Transform that limits throughput to
// N bytes per second by delaying its callback until the bytes processed so far are "due".
// Backpressure does the rest: while the callback waits, the writable side buffers, write()
// returns false and pipeline() stops reading the source. Times are virtual milliseconds.
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

class Throttle extends Transform {
  constructor(bytesPerSecond) {
    super({ highWaterMark: 1024 });
    this.bytesPerSecond = bytesPerSecond;
    this.bytes = 0;
    this.start = null;
  }
  _transform(chunk, encoding, callback) {
    this.start ??= performance.now();
    this.bytes += chunk.length;
    const due = this.start + (this.bytes / this.bytesPerSecond) * 1000;
    const wait = Math.max(0, due - performance.now());
    setTimeout(() => callback(null, chunk), wait);
  }
}

let reads = 0;
const source = new Readable({
  highWaterMark: 2048,
  read() {
    reads++;
    this.push(reads <= 20 ? Buffer.alloc(500, 0x62) : null);
  },
});
const throttle = new Throttle(2000);
let received = 0;
const sink = new Writable({
  write(chunk, encoding, callback) {
    received += chunk.length;
    if (received % 2000 === 0) console.log(`${performance.now()} ms: ${received} bytes through, ${reads} reads`);
    callback();
  },
});
throttle.on("drain", () => console.log(`${performance.now()} ms: throttle drained`));

const start = performance.now();
await pipeline(source, throttle, sink);
const seconds = (performance.now() - start) / 1000;
console.log(`${received} bytes in ${seconds} s: ${(received / seconds).toFixed(0)} bytes/s (limit 2000)`);
