// Node 20 docs, stream.md, "An example duplex stream": MyDuplex as written, over an in-memory
// source object with the hypothetical writeSomeData/fetchSomeData API the docs assume.
const { Duplex } = require('stream');
const kSource = Symbol('source');

class MyDuplex extends Duplex {
  constructor(source, options) {
    super(options);
    this[kSource] = source;
  }

  _write(chunk, encoding, callback) {
    // The underlying source only deals with strings.
    if (Buffer.isBuffer(chunk))
      chunk = chunk.toString();
    this[kSource].writeSomeData(chunk);
    callback();
  }

  _read(size) {
    this[kSource].fetchSomeData(size, (data, encoding) => {
      this.push(Buffer.from(data, encoding));
    });
  }
}

const source = {
  written: [],
  replies: ['one', 'two', 'three'],
  writeSomeData(s) {
    this.written.push(s);
  },
  fetchSomeData(size, cb) {
    const reply = this.replies.shift();
    setTimeout(() => (reply === undefined ? duplex.push(null) : cb(reply, 'utf8')), 5);
  },
};
const duplex = new MyDuplex(source);
duplex.on('data', (chunk) => console.log('read', chunk.toString(), performance.now()));
duplex.on('end', () => console.log('end; written:', source.written));
duplex.write('hello');
duplex.end(Buffer.from('bye'));
duplex.on('finish', () => console.log('finish'));
