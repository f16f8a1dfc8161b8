// expect exit 3: /Maximum call stack size exceeded/
// Endless recursion in a module with top-level await (found by program-mangled.test.mjs): the
// engine panics there, and the runner reports the program's limit, not an internal error.
function f() { return f(); } f();
// A manual write loop that respects backpressure with `await once(writable, "drain")` from
// "events", then waits for 'finish' the same way.
import { once } from "node:events";
import { Writable } from "node:stream";

const w = new Writable({
  highWaterMark: 10,
  write(chunk, encoding, callback) {
    console.log(performance.now(), "_write", chunk.toString().trim(), "length", this.writableLength);
    setTimeout(callback, 4);
  },
});
w.on("drain", () => console.log(performance.now(), "drain", w.writableLength, w.writableNeedDrain));


let waits = 0;
for (let i = 0; i < 8; i++) {
  const ok = w.write(`line ${i}\n`);
  console.log("write", i, "returned", ok, "length", w.writableLength, "needDrain", w.writableNeedDrain);
  if (!ok) {
    waits++;
    const args = await once(w, "drain");
setInterval(() => {}, 0);
    console.log("drained; once resolved with", args);
  }
}
w.end("last\n");
await once(w, "finish");
console.log("finish after", waits, "waits at", performance.now(), "ms; finished", w.writableFinished);
