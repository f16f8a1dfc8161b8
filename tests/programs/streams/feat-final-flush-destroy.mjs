// The hooks that run at the end: _final (delays 'finish'), _flush (pushes a last chunk before
// 'end'), _destroy (runs before 'close'), each answering later on a timer; the full event
// order with virtual times, including 'prefinish'.
import { Transform, Writable } from "node:stream";

const t0 = () => performance.now();
class Framer extends Transform {
  constructor() {
    super();
    this.count = 0;
  }
  _transform(chunk, encoding, callback) {
    this.count++;
    callback(null, `[${chunk}]`);
  }
  _flush(callback) {
    console.log(t0(), "_flush, count", this.count);
    setTimeout(() => callback(null, `(${this.count} frames)`), 4);
  }
  _final(callback) {
    console.log(t0(), "transform _final");
    setTimeout(callback, 2);
  }
  _destroy(err, callback) {
    console.log(t0(), "transform _destroy", err);
    setImmediate(callback, err);
  }
}
class Store extends Writable {
  _write(chunk, encoding, callback) {
    console.log(t0(), "store", chunk.toString());
    callback();
  }
  _final(callback) {
    console.log(t0(), "store _final");
    setTimeout(callback, 3);
  }
  _destroy(err, callback) {
    console.log(t0(), "store _destroy", err);
    callback(err);
  }
}
const framer = new Framer();
const store = new Store();
for (const e of ["prefinish", "finish", "end", "close"]) {
  framer.on(e, () => console.log(t0(), "framer", e));
  store.on(e, () => console.log(t0(), "store", e));
}
framer.pipe(store);
framer.write("a");
framer.write("b");
framer.end("c");
