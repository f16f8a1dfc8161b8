// for await over Readables: an async _read (setTimeout), a break that destroys the stream,
// and a stream error that the loop throws.
import { Readable } from "node:stream";

let n = 0;
const slow = new Readable({
  highWaterMark: 2,
  objectMode: true,
  read() {
    n++;
    setTimeout(() => this.push(n <= 5 ? { n } : null), 3);
  },
});
for await (const item of slow) {
  console.log(performance.now(), "item", item, "buffered", slow.readableLength);
}
console.log("loop 1 done; ended", slow.readableEnded, "destroyed", slow.destroyed);

const many = Readable.from(["a", "b", "c", "d"]);
many.on("close", () => console.log("many closed"));
for await (const x of many) {
  console.log("got", x);
  if (x === "b") break;
}
console.log("after break: destroyed", many.destroyed, "ended", many.readableEnded);

let k = 0;
const failing = new Readable({
  read() {
    k++;
    if (k === 3) process.nextTick(() => this.destroy(new Error("source broke")));
    else this.push(`chunk${k}`);
  },
});
try {
  for await (const chunk of failing) console.log("chunk", chunk.toString());
} catch (err) {
  console.log("loop threw", err.message, "destroyed", failing.destroyed);
}
