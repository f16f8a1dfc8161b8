// An error passed to _write's callback: the write callback gets it, then 'error', then
// 'close' (autoDestroy); later writes fail; 'finish' never comes. Also with autoDestroy: false.
import { Writable } from "node:stream";

for (const autoDestroy of [true, false]) {
  const tag = `autoDestroy=${autoDestroy}:`;
  let n = 0;
  const w = new Writable({
    autoDestroy,
    write(chunk, encoding, callback) {
      n++;
      console.log(tag, "_write", chunk.toString());
      if (n === 2) setTimeout(() => callback(new Error(`failed on ${chunk}`)), 2);
      else setTimeout(callback, 2);
    },
  });
  w.on("error", (e) => console.log(tag, "error", e.message, "destroyed", w.destroyed, "errored", w.errored?.message));
  w.on("close", () => console.log(tag, "close"));
  w.on("finish", () => console.log(tag, "finish"));
  for (const s of ["a", "b", "c"]) w.write(s, (err) => console.log(tag, "write cb", s, err?.message ?? err));
  w.end(() => console.log(tag, "end cb"));
  await new Promise((r) => setTimeout(r, 20));
  console.log(tag, "writable", w.writable, "writableFinished", w.writableFinished);
  w.write("late", (err) => console.log(tag, "late write cb", err?.code));
  await new Promise((r) => setTimeout(r, 5));
}
