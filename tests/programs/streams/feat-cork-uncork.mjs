// cork()/uncork(): writes while corked are buffered (writableLength grows, _write not called)
// and reach _write when uncorked; end() uncorks; writableCorked counts nested corks.
import { Writable } from "node:stream";

const w = new Writable({
  highWaterMark: 8,
  write(chunk, encoding, callback) {
    console.log("_write", chunk.toString(), "corked", this.writableCorked, "length", this.writableLength);
    callback();
  },
});
w.on("drain", () => console.log("drain"));
w.on("finish", () => console.log("finish"));
w.cork();
console.log("write ->", w.write("one "), w.writableLength, w.writableCorked);
w.cork();
console.log("write ->", w.write("two "), w.writableLength, w.writableCorked);
console.log("write ->", w.write("three "), w.writableLength, "needDrain", w.writableNeedDrain);
w.uncork();
console.log("after one uncork", w.writableLength, w.writableCorked);
process.nextTick(() => {
  w.uncork();
  console.log("after two uncorks", w.writableLength, w.writableCorked);
  w.cork();
  w.write("four ");
  w.end("five");
  console.log("end() while corked: length", w.writableLength, "corked", w.writableCorked);
});
