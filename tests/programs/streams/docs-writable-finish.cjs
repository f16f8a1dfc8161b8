// Node 20 docs, stream.md, Writable Event 'finish', as written, with a Writable that counts
// the bytes in place of getWritableStreamSomehow().
const { Writable } = require('stream');
let bytes = 0;
const writer = new Writable({
  write(chunk, encoding, callback) {
    bytes += chunk.length;
    callback();
  },
});
for (let i = 0; i < 100; i++) {
  writer.write(`hello, #${i}!\n`);
}
writer.on('finish', () => {
  console.log('All writes are now complete.');
  console.log(bytes, 'bytes');
});
writer.end('This is the end\n');
