// Node 20 docs, stream.md, readable.pipe(): the { end: false } example, with a Readable and
// a Writable that prints what it receives.
const { Readable, Writable } = require('stream');
const reader = Readable.from(['Hello\n', 'World\n']);
const writer = new Writable({
  write(chunk, encoding, callback) {
    process.stdout.write(chunk);
    callback();
  },
});
writer.on('finish', () => console.log('writer finished'));

reader.pipe(writer, { end: false });
reader.on('end', () => {
  writer.end('Goodbye\n');
});
