// Node 20 docs, stream.md, "An example counting stream": Counter as written but counting to
// 1000 instead of 1,000,000 (kept short), consumed with 'data' and 'end'.
const { Readable } = require('stream');

class Counter extends Readable {
  constructor(opt) {
    super(opt);
    this._max = 1000;
    this._index = 1;
  }

  _read() {
    const i = this._index++;
    if (i > this._max)
      this.push(null);
    else {
      const str = String(i);
      const buf = Buffer.from(str, 'ascii');
      this.push(buf);
    }
  }
}

let chunks = 0;
let bytes = 0;
const counter = new Counter();
counter.on('data', (chunk) => {
  chunks++;
  bytes += chunk.length;
});
counter.on('end', () => console.log('end', chunks, 'chunks', bytes, 'bytes'));
