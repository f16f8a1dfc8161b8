// A solution to the large-file challenge's code step (www/challenges/large-file-code.js): the
// page's starter with its TODOs written. 1 GiB in 1 MiB chunks through pipeline() into a
// Writable that takes 5 ms per chunk, a report every 100 ms. The page asks for
// process.memoryUsage().rss in the report; that is Node's own number (a model in Streamlab),
// so this version reports what the streams hold, which is the same in both.
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
const log = setInterval(() => {
  const held = file.readableLength + destination.writableLength;
  console.log(`${performance.now()} ms: ${destination.written} bytes written, ${held} bytes held in the streams`);
}, 100);

await pipeline(file, destination);
clearInterval(log);
console.log(`done at ${performance.now()} ms: ${destination.written} bytes written`);
