// Node 20 docs, stream.md, readable[Symbol.asyncIterator]() and "Consuming readable streams
// with async iterators": print() on a Readable in place of fs.createReadStream, and the
// printSymbolAsyncIterator part of the readable.iterator() example (break destroys).
const { Readable } = require('stream');

async function print(readable) {
  readable.setEncoding('utf8');
  let data = '';
  for await (const chunk of readable) {
    data += chunk;
  }
  console.log(data);
}

async function printSymbolAsyncIterator(readable) {
  for await (const chunk of readable) {
    console.log(chunk); // 1
    break;
  }

  console.log(readable.destroyed); // true
}

(async function() {
  await print(Readable.from([Buffer.from('file '), Buffer.from('contents')], { objectMode: false }));
  await printSymbolAsyncIterator(Readable.from([1, 2, 3]));
  const readable = Readable.from(['a', 'b']);
  for await (const chunk of readable) {
    console.log(chunk);
  }
})().catch(console.error);
