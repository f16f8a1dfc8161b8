// pipe(): a fast Readable into a slow Writable with tiny buffers; every event on both sides
// and the state pipe() leaves behind, printed with the virtual time.
import { Readable, Writable } from "node:stream";

let i = 0;
const src = new Readable({
  highWaterMark: 6,
  read() {
    i++;
    this.push(i <= 6 ? `c${i}` : null);
  },
});
const dst = new Writable({
  highWaterMark: 4,
  write(chunk, encoding, callback) {
    console.log(performance.now(), "write", chunk.toString(), "buffered", this.writableLength);
    setTimeout(callback, 3);
  },
});
const t = () => performance.now();
for (const e of ["pause", "resume", "end", "close"]) src.on(e, () => console.log(t(), "src", e, src.readableFlowing));
for (const e of ["drain", "finish", "close"]) dst.on(e, () => console.log(t(), "dst", e, dst.writableNeedDrain));
dst.on("pipe", (s) => console.log(t(), "dst pipe", s === src));
dst.on("unpipe", (s) => console.log(t(), "dst unpipe", s === src));
const ret = src.pipe(dst);
console.log("pipe returned the destination:", ret === dst, "flowing:", src.readableFlowing);
