// Backpressure by hand in object mode: write() in a 'data' listener, pause() when it says
// false, resume() on 'drain'; the sink calls back from setImmediate.
import { Readable, Writable } from 'node:stream';
let n = 0;
const r = new Readable({ highWaterMark: 2, objectMode: true, read() { if (n < 8) this.push(n++); else this.push(null); } });
const w = new Writable({ objectMode: true, highWaterMark: 1, write(c, e, cb) { setImmediate(cb); } });
r.on('data', (c) => {
  if (!w.write(c)) { r.pause(); w.once('drain', () => r.resume()); }
});
r.on('end', () => w.end());
w.on('finish', () => console.log('finish', performance.now()));
