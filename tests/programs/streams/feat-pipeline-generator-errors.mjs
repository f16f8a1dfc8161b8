// Errors in a pipeline's function stages: a generator that throws rejects the pipeline with
// its error and destroys the streams; an async function at the end that rejects; a source
// function that returns no iterable throws ERR_INVALID_RETURN_VALUE at once.
import { Readable, Writable, PassThrough, pipeline as pipelineCb } from "node:stream";
import { pipeline } from "node:stream/promises";

const source = new Readable({
  objectMode: true,
  read() {
    this.push(this.i = (this.i ?? 0) + 1);
    if (this.i === 10) this.push(null);
  },
});
source.on("close", () => console.log("source close", performance.now()));
const sink = new Writable({
  objectMode: true,
  write(chunk, _e, cb) {
    console.log("sink got", chunk);
    setImmediate(cb);
  },
});
sink.on("close", () => console.log("sink close", performance.now()));
sink.on("error", (e) => console.log("sink error", e.message));
try {
  await pipeline(
    source,
    async function* (chunks) {
      for await (const n of chunks) {
        if (n === 3) throw Object.assign(new Error("bad chunk 3"), { code: "EBAD" });
        yield n * 10;
      }
    },
    sink,
  );
} catch (err) {
  console.log("rejected", err.message, err.code, performance.now());
  console.log("destroyed", source.destroyed, sink.destroyed, sink.errored?.message);
}

try {
  await pipeline(Readable.from(["x", "y"]), async (chunks) => {
    for await (const c of chunks) console.log("end stage got", c);
    throw new Error("cannot store");
  });
} catch (err) {
  console.log("second rejected", err.message, performance.now());
}

try {
  pipelineCb(() => 42, new PassThrough(), () => {});
} catch (err) {
  console.log("thrown", err.name, err.code, err.message);
}
try {
  pipelineCb(Readable.from([1]), (s) => 7, new PassThrough(), () => {});
} catch (err) {
  console.log("thrown", err.name, err.code, err.message);
}

// A sync generator as a transform stage, or as the last stage, returns a sync iterable:
// not allowed there.
for (const stages of [
  [function* (s) {
    yield 1;
  }, new PassThrough()],
  [function* (s) {
    yield 1;
  }],
]) {
  try {
    pipelineCb(Readable.from([1]), ...stages, () => {});
  } catch (err) {
    console.log("thrown", err.code, err.message);
  }
}

// An error thrown after the last chunk reaches the callback.
pipelineCb(
  Readable.from([1, 2]),
  async function* (s) {
    for await (const x of s) yield x;
    throw new RangeError("late");
  },
  new Writable({ objectMode: true, write: (c, e, cb) => cb() }),
  (err) => console.log("callback err", err?.name, err?.message, performance.now()),
);
