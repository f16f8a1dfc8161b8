// ERR_MULTIPLE_CALLBACK: a _write that calls its callback twice, and a _transform that does;
// the errors as 'error' events (with listeners), and their messages.
const { Writable, Transform } = require("stream");

const w = new Writable({
  write(chunk, encoding, callback) {
    callback();
    callback();
  },
});
w.on("error", (err) => console.log("writable error:", err.code, err.message, err instanceof Error));
w.on("close", () => console.log("writable close"));
w.write("x", (err) => console.log("write cb", err ? err.code : err));

const t = new Transform({
  transform(chunk, encoding, callback) {
    callback(null, chunk);
    setTimeout(() => callback(null, chunk), 1);
  },
});
t.on("data", (d) => console.log("transform data", d.toString()));
t.on("error", (err) => console.log("transform error:", err.code, err.message));
t.on("close", () => console.log("transform close"));
t.write("y");
