// ERR_INVALID_ARG_TYPE: a number written to a byte-mode Writable (thrown synchronously) and
// pushed into a byte-mode Readable (an 'error' event); ERR_STREAM_NULL_VALUES for write(null).
const { Readable, Writable } = require("stream");

const w = new Writable({ write(chunk, encoding, callback) { callback(); } });
w.on("error", (e) => console.log("w error", e.code));
for (const bad of [42, null, {}]) {
  try {
    w.write(bad);
    console.log("accepted", bad);
  } catch (err) {
    console.log(err.name, err.code, err.message);
  }
}

const r = new Readable({ read() {} });
r.on("error", (err) => console.log("r error:", err.name, err.code, err.message));
r.on("close", () => console.log("r close"));
r.push(7);
