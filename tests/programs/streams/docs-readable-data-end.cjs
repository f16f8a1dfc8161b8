// Node 20 docs, stream.md, Readable Events 'data' and 'end', with a Readable of three
// Buffers in place of getReadableStreamSomehow().
const { Readable } = require('stream');
const chunks = [Buffer.alloc(10, 1), Buffer.alloc(20, 2), Buffer.alloc(5, 3)];
const readable = new Readable({
  read() {
    this.push(chunks.shift() ?? null);
  },
});
readable.on('data', (chunk) => {
  console.log(`Received ${chunk.length} bytes of data.`);
});
readable.on('end', () => {
  console.log('There will be no more data.');
});
