// Challenge 1 as the lesson words it: the same pipeline, logging process.memoryUsage().rss
// every 100 ms. Not compared with Node (rss is Node's own number; in Streamlab it is a model:
// a fixed baseline plus the bytes buffered in streams).
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const TOTAL = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;
let produced = 0;

const file = new Readable({
  read() {
    if (produced >= TOTAL) return this.push(null);
    produced += CHUNK;
    this.push(Buffer.alloc(CHUNK, 0x61));
  },
});
const destination = new Writable({
  write(chunk, encoding, callback) {
    setTimeout(callback, 1);
  },
});

const mb = (n) => (n / 1048576).toFixed(1);
const start = process.memoryUsage().rss;
let peak = start;
const report = setInterval(() => {
  const { rss } = process.memoryUsage();
  peak = Math.max(peak, rss);
  console.log(`${performance.now()} ms: rss ${mb(rss)} MB, ${mb(produced)} MB read`);
}, 100);

await pipeline(file, destination);
clearInterval(report);
console.log(`read ${mb(TOTAL)} MB; rss grew by at most ${mb(peak - start)} MB`);
