const { Writable } = require("stream");
const w = new Writable({ write(c, e, cb) { throw new Error("in write"); } });
setTimeout(() => w.write("x"), 1);
