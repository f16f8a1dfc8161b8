// pipe() from one source into two Writables, one slow, then unpipe() of the slow one
// mid-stream: the source keeps flowing into the fast one (trace: both sides' events).
import { Readable, Writable, PassThrough } from 'node:stream';
let n = 0;
const src = new Readable({ highWaterMark: 8, read() { n < 12 ? this.push(`c${n++}`) : this.push(null); } });
const fast = new Writable({ highWaterMark: 4, write(c, e, cb) { cb(); } });
const slow = new Writable({ highWaterMark: 4, write(c, e, cb) { setTimeout(cb, 3); } });
src.pipe(fast);
src.pipe(slow);
setTimeout(() => { src.unpipe(slow); console.log('unpiped', performance.now()); }, 7);
fast.on('finish', () => console.log('fast finish', performance.now()));
