// Node 20 docs, stream.md, writable.destroy() and writable.destroyed: the four examples, as
// written, one after another.
const { Writable } = require('stream');

{
  const myStream = new Writable();

  const fooErr = new Error('foo error');
  myStream.destroy(fooErr);
  myStream.on('error', (fooErr) => console.error(fooErr.message)); // foo error
}
{
  const myStream = new Writable();

  myStream.destroy();
  myStream.on('error', function wontHappen() {});
}
{
  const myStream = new Writable();
  myStream.destroy();

  myStream.write('foo', (error) => console.error(error.code));
  // ERR_STREAM_DESTROYED
}
{
  const myStream = new Writable();

  console.log(myStream.destroyed); // false
  myStream.destroy();
  console.log(myStream.destroyed); // true
}
