// The same Readable → Transform → Writable chain built twice: once by subclassing (_read,
// _transform, _flush, _write, _final) and once with constructor options (read, transform,
// flush, write, final). Both must print the same events.
import { Readable, Transform, Writable } from "node:stream";

class Numbers extends Readable {
  constructor(tag) {
    super({ highWaterMark: 4 });
    this.tag = tag;
    this.n = 0;
  }
  _read(size) {
    console.log(this.tag, "_read", size, this.readableLength);
    this.n++;
    this.push(this.n <= 3 ? `n${this.n}` : null);
  }
}
class Upper extends Transform {
  constructor(tag) {
    super({ highWaterMark: 2 });
    this.tag = tag;
  }
  _transform(chunk, encoding, callback) {
    console.log(this.tag, "_transform", chunk.toString(), encoding);
    callback(null, chunk.toString().toUpperCase());
  }
  _flush(callback) {
    console.log(this.tag, "_flush");
    callback(null, "!");
  }
}
class Sink extends Writable {
  constructor(tag) {
    super({ highWaterMark: 2 });
    this.tag = tag;
  }
  _write(chunk, encoding, callback) {
    console.log(this.tag, "_write", chunk.toString(), encoding, this.writableLength);
    setTimeout(callback, 1);
  }
  _final(callback) {
    console.log(this.tag, "_final");
    callback();
  }
}

function byOptions(tag) {
  let n = 0;
  const source = new Readable({
    highWaterMark: 4,
    read(size) {
      console.log(tag, "_read", size, this.readableLength);
      n++;
      this.push(n <= 3 ? `n${n}` : null);
    },
  });
  const upper = new Transform({
    highWaterMark: 2,
    transform(chunk, encoding, callback) {
      console.log(tag, "_transform", chunk.toString(), encoding);
      callback(null, chunk.toString().toUpperCase());
    },
    flush(callback) {
      console.log(tag, "_flush");
      callback(null, "!");
    },
  });
  const sink = new Writable({
    highWaterMark: 2,
    write(chunk, encoding, callback) {
      console.log(tag, "_write", chunk.toString(), encoding, this.writableLength);
      setTimeout(callback, 1);
    },
    final(callback) {
      console.log(tag, "_final");
      callback();
    },
  });
  return [source, upper, sink];
}

function run([source, upper, sink], tag) {
  return new Promise((resolve) => {
    for (const [name, s] of [["source", source], ["upper", upper], ["sink", sink]]) {
      for (const e of ["end", "finish", "close"]) s.on(e, () => console.log(tag, name, e, performance.now()));
    }
    sink.on("close", resolve);
    source.pipe(upper).pipe(sink);
  });
}

await run([new Numbers("class"), new Upper("class"), new Sink("class")], "class");
await run(byOptions("options"), "options");
