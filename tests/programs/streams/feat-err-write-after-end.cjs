// ERR_STREAM_WRITE_AFTER_END: write() after end(): the write callback gets the error, then
// 'error' is emitted; write() returns false. Then without a listener, which is uncaught.
const { Writable } = require("stream");

const w = new Writable({ write(chunk, encoding, callback) { console.log("_write", chunk.toString()); callback(); } });
w.on("error", (err) => console.log("error:", err.code, err.message));
w.on("finish", () => console.log("finish"));
w.on("close", () => console.log("close"));
w.end("last");
const ret = w.write("too late", (err) => console.log("write cb:", err.code));
console.log("write after end returned", ret, "writableEnded", w.writableEnded);

setTimeout(() => {
  const bare = new Writable({ write(chunk, encoding, callback) { callback(); } });
  bare.end();
  bare.write("again");
  console.log("wrote after end without a listener");
}, 5);
