// read(3) in paused mode after setEncoding('utf8'), across chunk boundaries. Node 20.20's
// fromList compares n with its buffer array's length where it means the string's
// (`n === buf.length`, fixed in Node 22): under Node 20 read(3) returns " more ", 6
// characters, readableLength still counts 3 and the next read() returns ""; Node 22 reads 3.
import { Readable } from 'node:stream';
const chunks = ['héllo ', 'wörld ', 'and ', 'more ', 'text'];
const r = new Readable({ highWaterMark: 5, read() { const c = chunks.shift(); setImmediate(() => this.push(c === undefined ? null : Buffer.from(c))); } });
r.setEncoding('utf8');
r.on('readable', () => {
  let s;
  while ((s = r.read(3)) !== null) console.log('read', JSON.stringify(s), r.readableLength);
});
r.on('end', () => console.log('end', performance.now()));
