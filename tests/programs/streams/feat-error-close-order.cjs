// The order of 'error' and 'close' after destroy(err) on each stream class, with emitClose
// false, and errors from destroy() while a _destroy callback is pending.
const { Readable, Writable, Duplex, Transform, PassThrough } = require("stream");

function watch(tag, s) {
  for (const e of ["error", "close", "end", "finish"]) s.on(e, (x) => console.log(tag, e, x ? x.message : ""));
  return s;
}

for (const [name, make] of [
  ["Readable", () => new Readable({ read() {} })],
  ["Writable", () => new Writable({ write(c, e, cb) { cb(); } })],
  ["Duplex", () => new Duplex({ read() {}, write(c, e, cb) { cb(); } })],
  ["Transform", () => new Transform()],
  ["PassThrough", () => new PassThrough()],
]) {
  const s = watch(name, make());
  s.destroy(new Error(`${name} failed`));
  console.log(name, "destroyed", s.destroyed, "errored", s.errored && s.errored.message);
  s.destroy(new Error("second error is ignored"));
}

const quiet = watch("emitClose=false", new Writable({ emitClose: false, write(c, e, cb) { cb(); } }));
quiet.destroy(new Error("quiet failure"));

const slow = watch("slow _destroy", new Readable({
  read() {},
  destroy(err, callback) {
    console.log("_destroy called with", err && err.message);
    setTimeout(() => callback(new Error("cleanup failed")), 5);
  },
}));
slow.destroy();
console.log("slow destroyed", slow.destroyed, "closed", slow.closed);
process.nextTick(() => console.log("tick: slow closed", slow.closed));
