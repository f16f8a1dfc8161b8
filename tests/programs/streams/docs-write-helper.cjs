// Node 20 docs, stream.md, writable.write(): the write(data, cb) helper that respects
// backpressure, on a Writable with a small highWaterMark, called twice.
const { Writable } = require('stream');
const stream = new Writable({
  highWaterMark: 4,
  write(chunk, encoding, callback) {
    setTimeout(callback, 2);
  },
});

function write(data, cb) {
  if (!stream.write(data)) {
    stream.once('drain', cb);
  } else {
    process.nextTick(cb);
  }
}

// Wait for cb to be called before doing any other write.
write('hi', () => {
  console.log('Write completed, do more writes now.', performance.now());
  write('hello', () => {
    console.log('Write completed, do more writes now.', performance.now());
  });
});
