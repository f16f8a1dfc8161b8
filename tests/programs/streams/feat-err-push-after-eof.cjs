// ERR_STREAM_PUSH_AFTER_EOF: push() after push(null), caught by an 'error' listener; then the
// same mistake with no listener, which ends the program as an uncaught error.
const { Readable } = require("stream");

const r = new Readable({ read() {} });
r.on("error", (err) => console.log("error:", err.code, err.message, err.name));
r.on("close", () => console.log("close"));
r.on("data", (d) => console.log("data", d.toString()));
r.on("end", () => console.log("end (not expected)"));
r.push("first");
r.push(null);
r.push("after end");
console.log("destroyed right away?", r.destroyed);

setTimeout(() => {
  const bare = new Readable({ read() {} });
  bare.push(null);
  bare.push("oops");
  console.log("pushed after EOF without a listener");
}, 5);
