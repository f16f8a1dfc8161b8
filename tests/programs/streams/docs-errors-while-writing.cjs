// Node 20 docs, stream.md, "Errors while writing" and "An example writable stream": both
// Writables as written, each given a chunk with an 'a' in it.
const { Writable } = require('stream');

const myWritable = new Writable({
  write(chunk, encoding, callback) {
    if (chunk.toString().indexOf('a') >= 0) {
      callback(new Error('chunk is invalid'));
    } else {
      callback();
    }
  }
});

class MyWritable extends Writable {
  _write(chunk, encoding, callback) {
    if (chunk.toString().indexOf('a') >= 0) {
      callback(new Error('chunk is invalid'));
    } else {
      callback();
    }
  }
}

for (const w of [myWritable, new MyWritable()]) {
  w.on('error', (err) => console.log('error', err.message, w.destroyed));
  w.on('close', () => console.log('close'));
  console.log(w.write('xyz', () => console.log('first written')));
  console.log(w.write('bad', (err) => console.log('second callback', err && err.message)));
}
