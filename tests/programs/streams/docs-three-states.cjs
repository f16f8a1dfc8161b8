// Node 20 docs, stream.md, "Three states": the PassThrough example, as written, with
// readableFlowing printed where the comments state it.
const { PassThrough, Writable } = require('stream');
const pass = new PassThrough();
const writable = new Writable();

pass.pipe(writable);
pass.unpipe(writable);
// readableFlowing is now false.
console.log('readableFlowing', pass.readableFlowing);

pass.on('data', (chunk) => { console.log(chunk.toString()); });
pass.write('ok');  // Will not emit 'data'.
console.log('readableFlowing', pass.readableFlowing);
pass.resume();     // Must be called to make stream emit 'data'.
console.log('readableFlowing', pass.readableFlowing);
