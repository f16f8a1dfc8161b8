// Node 20 docs, stream.md, writable.uncork(): both examples, on a Writable that logs what
// reaches _write and when.
const { Writable } = require('stream');

function logging(name) {
  return new Writable({
    decodeStrings: false,
    write(chunk, encoding, callback) {
      console.log(name, 'write', JSON.stringify(chunk), 'corked', this.writableCorked);
      callback();
    },
  });
}

{
  const stream = logging('first');
  stream.cork();
  stream.write('some ');
  stream.write('data ');
  process.nextTick(() => stream.uncork());
}
{
  const stream = logging('second');
  stream.cork();
  stream.write('some ');
  stream.cork();
  stream.write('data ');
  process.nextTick(() => {
    stream.uncork();
    // The data will not be flushed until uncork() is called a second time.
    console.log('second after one uncork:', stream.writableLength, 'bytes buffered');
    stream.uncork();
  });
}
