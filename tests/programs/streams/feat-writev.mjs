// _writev: while a write is in flight (or the stream is corked) later writes wait in the
// buffer; clearBuffer then hands them all to one _writev(chunks, callback) call, each entry
// { chunk, encoding, callback }, and its callback answers every write's callback in order.
import { Writable } from "node:stream";

const batches = [];
const sink = new Writable({
  highWaterMark: 8,
  write(chunk, encoding, callback) {
    console.log("_write", chunk.toString(), encoding, performance.now());
    setTimeout(callback, 2);
  },
  writev(chunks, callback) {
    batches.push(chunks.map((c) => c.chunk.toString()));
    console.log("_writev", chunks.length, chunks.map((c) => [c.chunk.toString(), c.encoding, typeof c.callback]), chunks.allBuffers, this.writableLength, performance.now());
    setTimeout(callback, 2);
  },
});
sink.on("drain", () => console.log("drain", performance.now()));
sink.on("finish", () => console.log("finish", batches, performance.now()));
console.log(sink.write("a", () => console.log("cb a")));
console.log(sink.write("bb", () => console.log("cb bb")));
console.log(sink.write("ccc"));
console.log(sink.write("dddd", "latin1", () => console.log("cb dddd")));
await new Promise((r) => setTimeout(r, 3));

// cork: every write waits, uncork writes them in one _writev.
sink.cork();
sink.write("x");
sink.write("y");
sink.write("z", () => console.log("cb z"));
console.log("corked", sink.writableCorked, sink.writableLength);
process.nextTick(() => sink.uncork());
await new Promise((r) => setTimeout(r, 10));

// Object mode, strings kept (decodeStrings: false), and only _writev: a single write goes
// through Writable.prototype._write as [{ chunk, encoding }].
const objects = new Writable({
  objectMode: true,
  writev(chunks, callback) {
    console.log("objects _writev", JSON.stringify(chunks.map((c) => c.chunk)), chunks.length, chunks[0].encoding);
    process.nextTick(callback);
  },
});
objects.write({ n: 1 });
objects.write({ n: 2 });
objects.write({ n: 3 });
const strings = new Writable({
  decodeStrings: false,
  write(chunk, encoding, callback) {
    console.log("strings _write", chunk, encoding);
    setImmediate(callback);
  },
  writev(chunks, callback) {
    console.log("strings _writev", chunks.map((c) => `${c.chunk}:${c.encoding}`).join(" "), chunks.allBuffers);
    callback(new Error("disk full"));
  },
});
strings.on("error", (err) => console.log("strings error", err.message, strings.destroyed));
strings.write("one");
strings.write("two", "hex", (err) => console.log("cb two", err?.message));
strings.write(Buffer.from("three"), (err) => console.log("cb three", err?.message));
class Batcher extends Writable {
  _writev(chunks, callback) {
    console.log("Batcher _writev", chunks.length, chunks.map((c) => c.chunk.length));
    setTimeout(callback, 1);
  }
}
const b = new Batcher({ highWaterMark: 4 });
b.write("12");
b.write("345");
b.end("6789", () => console.log("Batcher ended", performance.now()));
