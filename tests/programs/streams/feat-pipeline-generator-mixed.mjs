// A pipeline of streams and generators mixed: a Transform piped from a Readable (pipeline's own
// pipe), then a generator, then a Writable; a stream that fails mid-way rejects the pipeline
// and the generator's `finally` runs. The pipeline's `{ signal }` aborts it with an AbortError.
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

function numbers(n) {
  return new Readable({
    objectMode: true,
    read() {
      this.i = (this.i ?? 0) + 1;
      setTimeout(() => this.push(this.i > n ? null : this.i), 1);
    },
  });
}
const double = new Transform({
  objectMode: true,
  transform(n, _e, cb) {
    cb(null, n * 2);
  },
});
const lines = [];
await pipeline(
  numbers(5),
  double,
  async function* (source) {
    try {
      for await (const n of source) yield `${n}\n`;
    } finally {
      console.log("generator finally", performance.now());
    }
  },
  new Writable({
    write(chunk, _e, cb) {
      lines.push(chunk.toString().trim());
      cb();
    },
  }),
);
console.log("mixed done", lines.join(","), performance.now(), double.destroyed);

const failing = new Transform({
  objectMode: true,
  transform(n, _e, cb) {
    if (n === 3) cb(new Error("transform failed at 3"));
    else cb(null, n);
  },
});
failing.on("close", () => console.log("failing close"));
try {
  await pipeline(
    numbers(10),
    failing,
    async function* (source) {
      try {
        for await (const n of source) {
          console.log("gen", n);
          yield String(n);
        }
      } finally {
        console.log("gen finally", performance.now());
      }
    },
    new Writable({ write: (c, e, cb) => cb() }),
  );
} catch (err) {
  console.log("rejected", err.message, performance.now());
}

const ac = new AbortController();
const slow = numbers(100);
slow.on("close", () => console.log("slow close", slow.destroyed, performance.now()));
setTimeout(() => ac.abort(), 7);
try {
  await pipeline(
    slow,
    async function* (source) {
      for await (const n of source) yield n;
    },
    new Writable({
      objectMode: true,
      write(n, _e, cb) {
        console.log("wrote", n);
        cb();
      },
    }),
    { signal: ac.signal },
  );
} catch (err) {
  console.log("aborted", err.name, err.code, err.message, err.cause?.name, performance.now());
}
try {
  await pipeline(numbers(2), new Writable({ objectMode: true, write: (c, e, cb) => cb() }), { signal: AbortSignal.abort("stop") });
} catch (err) {
  console.log("pre-aborted", err.name, err.message, err.cause);
}
