// stream.pipeline with a callback: one that succeeds and one whose middle stream fails; the
// callback's argument, the order of events and which streams end up destroyed.
const { pipeline, Readable, Transform, Writable, PassThrough } = require("stream");

function chain(tag, failAt) {
  let n = 0;
  const source = new Readable({
    read() {
      n++;
      setTimeout(() => this.push(n <= 4 ? String(n) : null), 2);
    },
  });
  const middle = new Transform({
    transform(chunk, encoding, callback) {
      if (chunk.toString() === failAt) callback(new Error(`${tag}: bad chunk ${chunk}`));
      else callback(null, `<${chunk}>`);
    },
  });
  const sink = new Writable({
    write(chunk, encoding, callback) {
      console.log(tag, "got", chunk.toString());
      callback();
    },
  });
  for (const [name, s] of [["source", source], ["middle", middle], ["sink", sink]]) {
    s.on("close", () => console.log(tag, name, "close", s.destroyed));
    s.on("error", (e) => console.log(tag, name, "error", e.message));
  }
  const last = pipeline(source, middle, new PassThrough(), sink, (err) => {
    console.log(tag, "callback:", err ? `${err.message}` : err, performance.now());
  });
  console.log(tag, "pipeline returned the last stream:", last === sink);
}

chain("ok");
chain("fails", "3");
