// A solution to the narrow-middle challenge's code step (www/challenges/narrow-code.js): the
// page's starter with its TODOs written. The page runs it once per highWaterMark by changing
// the TRANSFORM_HWM line.
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const TRANSFORM_HWM = 1;
const CHUNKS = 400;
const CHUNK_SIZE = 256;

// The producer answers each read with up to 8 chunks on the next turn of the event loop.
let sent = 0;
const producer = new Readable({
  read() {
    setImmediate(() => {
      for (let i = 0; i < 8 && sent < CHUNKS; i++) {
        sent++;
        if (!this.push(Buffer.alloc(CHUNK_SIZE, 0x63))) break;
      }
      if (sent >= CHUNKS) this.push(null);
    });
  },
});

const narrow = new Transform({
  highWaterMark: TRANSFORM_HWM,
  transform(chunk, encoding, callback) {
    callback(null, chunk);
  },
});

let bytes = 0;
const consumer = new Writable({
  write(chunk, encoding, callback) {
    bytes += chunk.length;
    setImmediate(callback);
  },
});

const start = performance.now();
await pipeline(producer, narrow, consumer);
console.log(`highWaterMark ${TRANSFORM_HWM}: ${bytes} bytes in ${performance.now() - start} ms of virtual time`);
