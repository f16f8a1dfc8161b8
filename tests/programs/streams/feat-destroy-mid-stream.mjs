// destroy() in the middle of a pipe: the Readable destroyed without and with an error, a
// Writable destroyed while writes are pending; the events and callbacks that still come.
import { Readable, Writable } from "node:stream";

function pair(tag) {
  let i = 0;
  const src = new Readable({
    read() {
      i++;
      setTimeout(() => this.push(`${tag}${i}`), 2);
    },
  });
  const dst = new Writable({
    highWaterMark: 4,
    write(chunk, encoding, callback) {
      console.log(performance.now(), tag, "write", chunk.toString());
      setTimeout(callback, 3);
    },
  });
  for (const e of ["end", "close", "error", "pause"]) src.on(e, (x) => console.log(performance.now(), tag, "src", e, x?.message ?? ""));
  for (const e of ["finish", "close", "error", "unpipe"]) dst.on(e, (x) => console.log(performance.now(), tag, "dst", e, x?.message ?? ""));
  src.pipe(dst);
  return { src, dst };
}

const a = pair("a");
setTimeout(() => {
  a.src.destroy();
  console.log("a src destroyed", a.src.destroyed, "dst ended", a.dst.writableEnded);
}, 7);

const b = pair("b");
setTimeout(() => b.src.destroy(new Error("b went away")), 7);

const c = pair("c");
setTimeout(() => {
  c.dst.write("extra", (err) => console.log("c extra write cb", err?.code));
  c.dst.destroy();
  console.log("c dst destroyed; src flowing", c.src.readableFlowing);
  setTimeout(() => c.src.destroy(), 10);
}, 9);
