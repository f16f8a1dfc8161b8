// for await over Readable.from with break (destroys it), then a Writable ended twice,
// destroyed, and written after destroy (ERR_STREAM_DESTROYED in the write callback).
import { Readable, Writable } from 'node:stream';
const r = Readable.from(['a', 'b', 'c', 'd', 'e']);
for await (const x of r) { console.log('got', x); if (x === 'c') break; }
console.log('destroyed', r.destroyed);
const w = new Writable({ write(c, e, cb) { cb(); } });
w.on('error', (e) => console.log('error', e.code));
w.end('x');
w.end(() => console.log('second end cb'));
w.destroy();
w.write('y', (err) => console.log('write cb', err?.code));
