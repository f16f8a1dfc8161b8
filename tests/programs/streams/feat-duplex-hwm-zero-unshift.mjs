// A Duplex whose readable side has highWaterMark 0 and pushes from a timer, echoing its
// writes into its readable side; unshift() in a 'data' listener; end() from there.
import { Readable, Writable, Duplex } from 'node:stream';
const d = new Duplex({
  readableHighWaterMark: 0,
  writableHighWaterMark: 3,
  read() { setTimeout(() => this.push('r'), 1); },
  write(c, e, cb) { this.push(c); cb(); },
  final(cb) { this.push(null); cb(); },
});
let got = 0;
d.on('data', (c) => { got++; if (got === 2) d.unshift(Buffer.from('U')); if (got > 6) d.end(); });
d.write('w1'); d.write('w2');
d.on('end', () => console.log('end', got, performance.now()));
d.on('close', () => console.log('close'));
