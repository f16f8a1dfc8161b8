// destroy(err) from inside a Transform's _transform in the middle of pipeline(): the
// pipeline's callback gets the error; every stream is destroyed.
import { Readable, Writable, Transform, pipeline } from 'node:stream';
let i = 0;
const src = new Readable({ objectMode: true, read() { setTimeout(() => this.push(i < 10 ? { i: i++ } : null), 1); } });
const t = new Transform({ objectMode: true, transform(c, e, cb) { if (c.i === 4) { this.destroy(new Error('stop at 4')); return; } cb(null, c); } });
const w = new Writable({ objectMode: true, highWaterMark: 2, write(c, e, cb) { setTimeout(cb, 2); } });
pipeline(src, t, w, (err) => console.log('pipeline', err?.message, performance.now()));
