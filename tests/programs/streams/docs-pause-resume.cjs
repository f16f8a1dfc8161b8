// Node 20 docs, stream.md, readable.pause() and readable.resume(): the examples as written,
// with small Readables in place of getReadableStreamSomehow(). The one-second pause runs on
// the virtual clock.
const stream = require('stream');

{
  const readable = stream.Readable.from([Buffer.from('abc'), Buffer.from('defg')], { objectMode: false });
  readable.on('data', (chunk) => {
    console.log(`Received ${chunk.length} bytes of data.`);
    readable.pause();
    console.log('There will be no additional data for 1 second.');
    setTimeout(() => {
      console.log('Now data will start flowing again.', performance.now());
      readable.resume();
    }, 1000);
  });
}
{
  stream.Readable.from(['x', 'y', 'z'])
    .resume()
    .on('end', () => {
      console.log('Reached the end, but did not read anything.');
    });
}
