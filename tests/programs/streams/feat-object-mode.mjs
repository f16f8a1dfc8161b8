// Object mode: highWaterMark counts objects (default 16), readableLength/writableLength count
// objects, write() of any value but null, and a mixed Transform (writable objects in,
// bytes out).
import { Readable, Transform, Writable } from "node:stream";

const r = new Readable({ objectMode: true, read() {} });
console.log("default object hwm", r.readableHighWaterMark, new Writable({ objectMode: true }).writableHighWaterMark);
for (let i = 0; i < 18; i++) {
  const ok = r.push({ i });
  if (!ok) console.log("push returned false at", i, "readableLength", r.readableLength);
}
console.log(r.read(), r.read(100), r.readableLength);

const w = new Writable({
  objectMode: true,
  highWaterMark: 3,
  write(chunk, encoding, callback) {
    console.log("write", chunk, encoding);
    setImmediate(callback);
  },
});
for (const v of [0, false, "", [1, 2], { a: 1 }, 3.5]) {
  console.log("write", JSON.stringify(v), "->", w.write(v), w.writableLength);
}
try {
  w.write(null);
} catch (err) {
  console.log("write(null) throws", err.code, err.message);
}

const toJson = new Transform({
  writableObjectMode: true,
  transform(obj, encoding, callback) {
    callback(null, `${JSON.stringify(obj)}\n`);
  },
});
console.log("modes", toJson.writableObjectMode, toJson.readableObjectMode, toJson.writableHighWaterMark, toJson.readableHighWaterMark);
toJson.on("data", (chunk) => console.log("json line", chunk.length, chunk.toString().trim()));
toJson.write({ id: 1 });
toJson.end([2, 3]);
