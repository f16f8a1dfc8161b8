// stream/promises pipeline: resolves with undefined after the last stream finishes; rejects
// with the first error (here from a _write callback), after which every stream is destroyed.
import { Readable, Writable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

const items = Readable.from(["a", "b", "c", "d"]);
const seen = [];
const result = await pipeline(
  items,
  new Transform({
    objectMode: true,
    transform(chunk, encoding, callback) {
      process.nextTick(callback, null, chunk.repeat(2));
    },
  }),
  new Writable({
    objectMode: true,
    write(chunk, encoding, callback) {
      seen.push(chunk);
      setImmediate(callback);
    },
  }),
);
console.log("resolved with", result, seen, performance.now());

const source = Readable.from([1, 2, 3, 4, 5]);
const sink = new Writable({
  objectMode: true,
  highWaterMark: 1,
  write(chunk, encoding, callback) {
    console.log("write", chunk);
    if (chunk === 3) setTimeout(() => callback(Object.assign(new Error("disk full"), { code: "EDISK" })), 5);
    else setTimeout(callback, 1);
  },
});
try {
  await pipeline(source, sink);
  console.log("not reached");
} catch (err) {
  console.log("rejected:", err.message, err.code, performance.now());
  console.log("source destroyed", source.destroyed, "sink destroyed", sink.destroyed, "errored", sink.errored === err);
}
