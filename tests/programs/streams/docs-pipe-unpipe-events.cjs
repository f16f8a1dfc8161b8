// Node 20 docs, stream.md, Writable Events 'pipe' and 'unpipe', with real streams in place of
// get…StreamSomehow() and console.log(src === reader) in place of assert.equal.
const { Readable, Writable } = require('stream');

{
  const writer = new Writable({ write(chunk, encoding, callback) { callback(); } });
  const reader = Readable.from(['a', 'b']);
  writer.on('pipe', (src) => {
    console.log('Something is piping into the writer.');
    console.log(src === reader);
  });
  reader.pipe(writer);
}
{
  const writer = new Writable({ write(chunk, encoding, callback) { callback(); } });
  const reader = Readable.from(['a', 'b']);
  writer.on('unpipe', (src) => {
    console.log('Something has stopped piping into the writer.');
    console.log(src === reader);
  });
  reader.pipe(writer);
  reader.unpipe(writer);
}
