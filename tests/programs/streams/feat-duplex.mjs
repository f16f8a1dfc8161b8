// Duplex: independent readable and writable sides with their own highWaterMarks and object
// modes; allowHalfOpen false ends the writable side when the readable side ends.
import { Duplex } from "node:stream";

for (const allowHalfOpen of [true, false]) {
  const tag = `allowHalfOpen=${allowHalfOpen}:`;
  let reads = 0;
  const d = new Duplex({
    allowHalfOpen,
    readableObjectMode: true,
    writableHighWaterMark: 5,
    read() {
      reads++;
      this.push(reads <= 2 ? { reads } : null);
    },
    write(chunk, encoding, callback) {
      console.log(tag, "write", chunk.toString(), encoding);
      setTimeout(callback, 1);
    },
  });
  console.log(tag, d.readableObjectMode, d.writableObjectMode, d.readableHighWaterMark, d.writableHighWaterMark);
  for (const e of ["end", "finish", "close"]) d.on(e, () => console.log(tag, e, performance.now()));
  d.on("data", (x) => console.log(tag, "data", x));
  console.log(tag, "write ->", d.write("abcdef"));
  await new Promise((r) => setTimeout(r, 10));
  console.log(tag, "writableEnded", d.writableEnded, "readableEnded", d.readableEnded);
  if (!d.writableEnded) d.end();
  await new Promise((r) => setTimeout(r, 10));
}
