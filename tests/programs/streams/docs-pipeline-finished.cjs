// Node 20 docs, stream.md, stream.pipeline() and stream.finished(): the callback and promise
// examples, with a Readable, an upper-casing Transform and a Writable in place of fs and zlib.
const { pipeline, finished, Readable, Transform, Writable } = require('stream');
const promises = require('stream/promises');

function parts() {
  const out = [];
  return {
    source: Readable.from(['archive ', 'tar']),
    gzip: new Transform({
      transform(chunk, encoding, callback) {
        callback(null, chunk.toString().toUpperCase());
      },
    }),
    dest: new Writable({
      write(chunk, encoding, callback) {
        out.push(chunk.toString());
        setTimeout(callback, 1);
      },
    }),
    out,
  };
}

const a = parts();
pipeline(
  a.source,
  a.gzip,
  a.dest,
  (err) => {
    if (err) {
      console.error('Pipeline failed.', err);
    } else {
      console.log('Pipeline succeeded.', a.out.join(''));
    }
  }
);

async function run() {
  const b = parts();
  await promises.pipeline(b.source, b.gzip, b.dest);
  console.log('Pipeline succeeded.', b.out.join(''));
}

run().catch(console.error);

const rs = Readable.from(['x', 'y']);
finished(rs, (err) => {
  if (err) {
    console.error('Stream failed.', err);
  } else {
    console.log('Stream is done reading.');
  }
});

rs.resume(); // Drain the stream.

const rs2 = Readable.from(['z']);
async function run2() {
  await promises.finished(rs2);
  console.log('Stream is done reading.');
}

run2().catch(console.error);
rs2.resume(); // Drain the stream.
