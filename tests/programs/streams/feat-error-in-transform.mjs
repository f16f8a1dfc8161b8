// An error from _transform's callback inside pipe() (no pipeline): the transform emits
// 'error' and closes, pipe() unpipes it from the source, and the source keeps its data.
import { Readable, Transform, Writable } from "node:stream";

let i = 0;
const src = new Readable({
  highWaterMark: 2,
  objectMode: true,
  read() {
    i++;
    this.push(i <= 6 ? i : null);
  },
});
const t = new Transform({
  objectMode: true,
  transform(n, encoding, callback) {
    if (n === 3) return callback(new RangeError(`no threes (${n})`));
    setImmediate(callback, null, n * 10);
  },
});
const out = new Writable({
  objectMode: true,
  write(chunk, encoding, callback) {
    console.log("out", chunk);
    callback();
  },
});
src.on("unpipe", () => console.log("src unpipe?"));
t.on("unpipe", (s) => console.log("t unpipe from src", s === src, "src flowing", src.readableFlowing));
t.on("error", (e) => console.log("t error", e.name, e.message, "destroyed", t.destroyed));
t.on("close", () => console.log("t close; src buffered", src.readableLength, "src destroyed", src.destroyed));
out.on("finish", () => console.log("out finish (not expected)"));
src.pipe(t).pipe(out);
setTimeout(() => console.log("later: out writableEnded", out.writableEnded, "src readableFlowing", src.readableFlowing), 20);
