// highWaterMark values: defaults (16384, 16 in object mode), 0, 1, small ones, what
// push()/write() return at the boundary (write returns false once length >= hwm), and the
// values Node 20 refuses (a fraction, a negative number, NaN, a string) with
// ERR_INVALID_ARG_VALUE.
import { Readable, Writable } from "node:stream";

const show = (tag, s) => console.log(tag, s.readableHighWaterMark ?? "", s.writableHighWaterMark ?? "");
show("default", new Readable());
show("default", new Writable());
show("object", new Readable({ objectMode: true }));
for (const bad of [2.7, -1, Number.NaN, "8"]) {
  try {
    new Writable({ highWaterMark: bad });
    console.log("accepted", bad);
  } catch (err) {
    console.log(err.name, err.code, err.message);
  }
}

for (const hwm of [0, 1, 3, 4]) {
  const w = new Writable({ highWaterMark: hwm, write(c, e, cb) { setImmediate(cb); } });
  const results = ["ab", "c", "d"].map((s) => `${s}:${w.write(s)}/${w.writableLength}`);
  console.log("write hwm", hwm, results.join(" "), "needDrain", w.writableNeedDrain);
  w.on("drain", () => console.log("  drain hwm", hwm, performance.now()));
}
for (const hwm of [0, 2, 5]) {
  const r = new Readable({ highWaterMark: hwm, read() {} });
  const results = ["ab", "c", "dd"].map((s) => `${s}:${r.push(s)}/${r.readableLength}`);
  console.log("push hwm", hwm, results.join(" "));
}
