const { Writable } = require("stream");
const w = new Writable({ write(c, e, cb) { cb(new Error("boom")); } });
w.write("x");
