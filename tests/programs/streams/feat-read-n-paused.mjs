// read(n) in paused mode with 'readable': asking for more than is buffered returns null and
// reads further, the remainder is returned at the end; readableLength after each read.
import { Readable } from "node:stream";

const parts = ["abc", "defgh", "ij", "klmnopq"];
const r = new Readable({
  highWaterMark: 8,
  read(size) {
    console.log("_read", size, "buffered", this.readableLength);
    const p = parts.shift();
    setTimeout(() => this.push(p ?? null), 1);
  },
});
r.on("readable", () => {
  console.log(performance.now(), "readable, buffered", r.readableLength, "flowing", r.readableFlowing);
  let chunk;
  while ((chunk = r.read(4)) !== null) {
    console.log("  read(4) ->", chunk.toString(), "left", r.readableLength);
  }
  console.log("  read(4) -> null; ended", r.readableEnded);
});
r.on("end", () => console.log(performance.now(), "end"));
r.on("close", () => console.log(performance.now(), "close"));
