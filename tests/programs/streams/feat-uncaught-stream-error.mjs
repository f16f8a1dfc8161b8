// A stream error with no 'error' listener: Node prints the error (with its code) and exits
// with code 1 after the events already queued; 'close' still comes first.
import { Writable } from "node:stream";

const w = new Writable({
  write(chunk, encoding, callback) {
    setTimeout(() => callback(Object.assign(new Error("device not ready"), { code: "EDEVICE" })), 3);
  },
});
w.on("close", () => console.log("close before the crash?"));
w.write("x", (err) => console.log("write callback", err.message));
setTimeout(() => console.log("never printed"), 50);
console.log("main done");
