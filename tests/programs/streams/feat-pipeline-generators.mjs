// pipeline() with functions as stages: an async generator as a transform between two streams,
// a generator as the source, and an async function as the destination whose promise ends the
// pipeline. Node builds no stream for a generator (only a PassThrough for a function at the
// end); the trace shows the writes the pipeline's pump makes.
import { Readable, Writable, pipeline as pipelineCb } from "node:stream";
import { pipeline } from "node:stream/promises";

const upper = async function* (source) {
  for await (const chunk of source) {
    console.log("transform got", chunk, performance.now());
    yield chunk.toUpperCase();
  }
};
const seen = [];
const sink = new Writable({
  objectMode: true,
  highWaterMark: 2,
  write(chunk, _encoding, callback) {
    seen.push(chunk);
    setTimeout(callback, 3);
  },
});
await pipeline(Readable.from(["a", "b", "c", "d", "e"]), upper, sink);
console.log("first done", seen, performance.now(), sink.writableFinished);

// A generator as the source, and an async function as the last stage.
const result = await pipeline(
  function* () {
    for (let i = 1; i <= 4; i++) yield `line ${i}\n`;
  },
  async function* (source) {
    for await (const line of source) yield line.length;
  },
  async function (source) {
    let total = 0;
    for await (const n of source) {
      total += n;
      console.log("sum so far", total);
    }
    return total;
  },
);
console.log("second resolved with", result, performance.now());

// The callback form returns the last stream; a byte source through two generators.
const bytes = new Readable({
  read() {
    this.push(Buffer.from("xyz"));
    if (++this.n === 3) this.push(null);
  },
});
bytes.n = 0;
const out = [];
const last = pipelineCb(
  bytes,
  async function* (source) {
    for await (const chunk of source) yield chunk.toString().split("").reverse().join("");
  },
  async function* (source) {
    for await (const text of source) {
      await new Promise((r) => setTimeout(r, 2));
      yield `[${text}]`;
    }
  },
  new Writable({
    write(chunk, encoding, callback) {
      out.push(chunk.toString());
      callback();
    },
  }),
  (err, value) => {
    console.log("callback", err, value, out.join(""), performance.now());
  },
);
console.log("returned", last.constructor.name, last.writable);
