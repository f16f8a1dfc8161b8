// Node 20 docs, stream.md, readable.isPaused(): the example as written (results printed).
// The docs' Readable has no _read, so resume() makes Node 20 call the default _read on the
// next tick, which fails with ERR_METHOD_NOT_IMPLEMENTED as an unhandled 'error' event: the
// program ends with exit code 1 after printing the three states.
const stream = require('stream');

{
  const readable = new stream.Readable();

  console.log(readable.isPaused()); // === false
  readable.pause();
  console.log(readable.isPaused()); // === true
  readable.resume();
  console.log(readable.isPaused()); // === false
}
