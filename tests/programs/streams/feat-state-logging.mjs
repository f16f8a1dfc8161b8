// Stream state printed inside callbacks: readableLength, readableFlowing, readableEnded,
// writableLength, writableNeedDrain, writableEnded, writableFinished, destroyed and the
// highWaterMarks, as _read, _write, 'data', 'drain', 'end', 'finish' and 'close' see them.
import { Readable, Writable } from "node:stream";

const r = new Readable({
  highWaterMark: 3,
  read(size) {
    console.log("_read size", size, "len", this.readableLength, "flowing", this.readableFlowing);
    const n = (this.n = (this.n ?? 0) + 1);
    process.nextTick(() => this.push(n <= 4 ? `r${n}` : null));
  },
});
const w = new Writable({
  highWaterMark: 4,
  write(chunk, encoding, callback) {
    console.log("_write", String(chunk), "len", this.writableLength, "needDrain", this.writableNeedDrain);
    setTimeout(callback, 2);
  },
});
const state = () => ({
  rLen: r.readableLength,
  flowing: r.readableFlowing,
  rEnded: r.readableEnded,
  wLen: w.writableLength,
  needDrain: w.writableNeedDrain,
  wEnded: w.writableEnded,
  finished: w.writableFinished,
  destroyed: [r.destroyed, w.destroyed],
});
console.log("hwm", r.readableHighWaterMark, w.writableHighWaterMark, state());
r.on("data", (c) => console.log("data", String(c), state()));
r.on("end", () => console.log("end", state()));
r.on("close", () => console.log("r close", state()));
w.on("drain", () => console.log("drain", state()));
w.on("finish", () => console.log("finish", state()));
w.on("close", () => console.log("w close", state()));
r.pipe(w);
