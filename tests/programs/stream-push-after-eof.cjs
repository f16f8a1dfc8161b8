const { Readable } = require("stream");
const r = new Readable({ read() {} });
r.push(null);
r.push("late");
