// Readable.from over an array, a generator, an async generator, a string and a Buffer (not
// iterated), and objectMode: false; the chunks and their types as 'data' sees them.
import { Readable } from "node:stream";

function* gen() {
  yield 1;
  yield "two";
  yield { three: 3 };
}
async function* agen() {
  yield "x";
  await new Promise((r) => setTimeout(r, 10));
  yield "y";
}

const sources = [
  ["array", Readable.from([1, 2, 3])],
  ["generator", Readable.from(gen())],
  ["async generator", Readable.from(agen())],
  ["string", Readable.from("a whole string")],
  ["buffer", Readable.from(Buffer.from("bytes"))],
  ["bytes mode", Readable.from(["ab", "cd"], { objectMode: false })],
];
for (const [name, r] of sources) {
  console.log(name, "objectMode", r.readableObjectMode, "hwm", r.readableHighWaterMark);
  r.on("data", (chunk) => console.log(performance.now(), name, "data", typeof chunk, Buffer.isBuffer(chunk), chunk));
  r.on("end", () => console.log(performance.now(), name, "end"));
}
