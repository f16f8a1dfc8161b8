// 10 GiB (163,840 × 64 KiB) through a JavaScript `_write` that answers after 1 ms: the lesson's
// "slow destination" at the size of its Key Insight. One chunk Buffer is pushed again and
// again (as a file server reusing its read buffer would), so the run measures the streams,
// not 10 GiB of allocation. Prints the virtual (or, under plain node, real) elapsed time.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const CHUNKS = Number(process.env.CHUNKS ?? 163840);
const chunk = Buffer.alloc(65536, 0x61);
let pushed = 0;
let written = 0;
const source = new Readable({
  highWaterMark: 65536,
  read() {
    if (pushed < CHUNKS) {
      pushed++;
      this.push(chunk);
    } else {
      this.push(null);
    }
  },
});
const sink = new Writable({
  write(c, _encoding, callback) {
    written += c.length;
    setTimeout(callback, 1);
  },
});
const start = performance.now();
await pipeline(source, sink);
console.log(`${written} bytes in ${pushed} chunks, ${performance.now() - start} ms`);
