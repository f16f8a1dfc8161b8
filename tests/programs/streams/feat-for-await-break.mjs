// Leaving a for await loop early (break) destroys the stream with an AbortError: listeners
// see 'error' (ABORT_ERR, "The operation was aborted") and then 'close', on a later tick than
// the code after the loop; a stream left the same way later gets its events first.
import { Readable } from "node:stream";

const many = Readable.from(["a", "b", "c", "d"]);
many.on("error", (e) => console.log("many error", e.name, e.code, e.message));
many.on("close", () => console.log("many close; errored", many.errored?.code));
for await (const x of many) {
  console.log("got", x);
  if (x === "b") break;
}
console.log("after break: destroyed", many.destroyed, "ended", many.readableEnded);

const endless = new Readable({
  read() {
    this.push("x");
  },
});
endless.on("error", (e) => console.log("endless error", e.code));
endless.on("close", () => console.log("endless close"));
for await (const chunk of endless) {
  console.log("first chunk", String(chunk));
  break;
}
console.log("endless destroyed", endless.destroyed);
