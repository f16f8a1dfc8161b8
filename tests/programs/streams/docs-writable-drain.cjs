// Node 20 docs, stream.md, Writable Event 'drain': writeOneMillionTimes, run as written but
// with 1000 writes instead of a million (kept short) and a slow Writable to write into.
const { Writable } = require('stream');

// Write the data to the supplied writable stream one million times.
// Be attentive to back-pressure.
function writeOneMillionTimes(writer, data, encoding, callback) {
  let i = 1000;
  write();
  function write() {
    let ok = true;
    do {
      i--;
      if (i === 0) {
        // Last time!
        writer.write(data, encoding, callback);
      } else {
        // See if we should continue, or wait.
        // Don't pass the callback, because we're not done yet.
        ok = writer.write(data, encoding);
      }
    } while (i > 0 && ok);
    if (i > 0) {
      // Had to stop early!
      // Write some more once it drains.
      writer.once('drain', write);
    }
  }
}

let writes = 0;
let drains = 0;
const writer = new Writable({
  highWaterMark: 100,
  write(chunk, encoding, callback) {
    writes++;
    setImmediate(callback);
  },
});
writer.on('drain', () => drains++);
writeOneMillionTimes(writer, 'some data\n', 'utf8', () => {
  console.log('last write done', writes, 'writes', drains, 'drains', performance.now(), 'ms');
});
