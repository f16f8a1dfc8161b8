// Node 20 docs, stream.md, readable.read() and Event 'readable': the read loop examples, with
// Readables that push a few chunks on timers in place of getReadableStreamSomehow(), and an
// empty Readable in place of the empty foo.txt.
const { Readable } = require('stream');

function source(sizes) {
  return new Readable({
    highWaterMark: 16,
    read() {
      const n = sizes.shift();
      setTimeout(() => this.push(n === undefined ? null : Buffer.alloc(n, 0x61)), 3);
    },
  });
}

{
  const readable = source([5, 7, 30, 2]);

  // 'readable' may be triggered multiple times as data is buffered in
  readable.on('readable', () => {
    let chunk;
    console.log('Stream is readable (new data received in buffer)');
    // Use a loop to make sure we read all currently available data
    while (null !== (chunk = readable.read())) {
      console.log(`Read ${chunk.length} bytes of data...`);
    }
  });

  // 'end' will be triggered once when there is no more data available
  readable.on('end', () => {
    console.log('Reached end of stream.');
  });
}
{
  const readable = source([3, 4]);
  readable.on('readable', function() {
    // There is some data to read now.
    let data;

    while ((data = this.read()) !== null) {
      console.log(data);
    }
  });
}
{
  const rr = new Readable({ read() { this.push(null); } });
  rr.on('readable', () => {
    console.log(`readable: ${rr.read()}`);
  });
  rr.on('end', () => {
    console.log('end');
  });
}
{
  const readable = source([1, 2, 3]);
  readable.setEncoding('utf8');
  const chunks = [];

  readable.on('readable', () => {
    let chunk;
    while (null !== (chunk = readable.read())) {
      chunks.push(chunk);
    }
  });

  readable.on('end', () => {
    const content = chunks.join('');
    console.log('content', content);
  });
}
