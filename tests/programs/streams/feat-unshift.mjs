// unshift(): put back part of what was read so the next read() returns it first; a header
// parser on a paused Readable.
import { Readable } from "node:stream";

const r = Readable.from([Buffer.from("HEAD"), Buffer.from("ER|bo"), Buffer.from("dy")], { objectMode: false });
let header = "";
r.on("readable", function onReadable() {
  let chunk;
  while ((chunk = r.read()) !== null) {
    const s = chunk.toString();
    const bar = s.indexOf("|");
    if (bar < 0) {
      header += s;
      continue;
    }
    header += s.slice(0, bar);
    r.removeListener("readable", onReadable);
    r.unshift(Buffer.from(s.slice(bar + 1)));
    console.log("header", header, "unshifted, buffered", r.readableLength);
    r.on("data", (d) => console.log("body data", d.toString()));
    return;
  }
});
r.on("end", () => console.log("end"));
