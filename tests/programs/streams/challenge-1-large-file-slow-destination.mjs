// A solution to the backpressure lesson's Challenge 1: a pipeline from a "large file" (a
// Readable producing 4 MiB in 16 KiB chunks) to a slow destination (setTimeout in _write),
// with a report every 100 ms proving the memory held by the streams stays bounded.
// The lesson asks to log process.memoryUsage().rss; that number is Node's own (and a model in
// Streamlab), so this version logs what the streams hold, which is equal in both; the rss log
// is demos/challenge-1-rss.mjs.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const TOTAL = 4 * 1024 * 1024;
const CHUNK = 16 * 1024;

class LargeFile extends Readable {
  constructor() {
    super();
    this.produced = 0;
  }
  _read() {
    if (this.produced >= TOTAL) {
      this.push(null);
      return;
    }
    this.produced += CHUNK;
    this.push(Buffer.alloc(CHUNK, 0x61));
  }
}

class SlowDestination extends Writable {
  constructor() {
    super();
    this.written = 0;
  }
  _write(chunk, encoding, callback) {
    this.written += chunk.length;
    setTimeout(callback, 5);
  }
}

const file = new LargeFile();
const destination = new SlowDestination();
const bound = file.readableHighWaterMark + destination.writableHighWaterMark + CHUNK;
let maxHeld = 0;

const report = setInterval(() => {
  const held = file.readableLength + destination.writableLength;
  maxHeld = Math.max(maxHeld, held);
  console.log(
    `${String(performance.now()).padStart(5)} ms: written ${(destination.written / 1048576).toFixed(2)} MiB,`,
    `held in streams ${held} bytes (read buffer ${file.readableLength}, write buffer ${destination.writableLength})`,
  );
}, 100);

await pipeline(file, destination);
clearInterval(report);
console.log("done after", performance.now(), "ms:", destination.written, "bytes written");
console.log("most held at a report:", maxHeld, "bytes; bounded by", bound, ":", maxHeld <= bound);
