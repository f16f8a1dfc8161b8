// Node 20 docs, stream.md, readable.setEncoding(): the example with a Readable of UTF-8 bytes
// split inside a character, typeof printed in place of assert.equal.
const { Readable } = require('stream');
const euro = Buffer.from('price: 3€, 4€');
const readable = Readable.from([euro.subarray(0, 9), euro.subarray(9)], { objectMode: false });
readable.setEncoding('utf8');
readable.on('data', (chunk) => {
  console.log(typeof chunk);
  console.log('Got %d characters of string data:', chunk.length);
  console.log(chunk);
});
