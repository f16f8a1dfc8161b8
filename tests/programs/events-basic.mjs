import { EventEmitter, once, on } from 'events';
const e = new EventEmitter();
e.on('data', (x) => console.log('listener 1', x));
e.prependListener('data', (x) => console.log('prepended', x));
e.once('data', (x) => console.log('once', x));
console.log('count', e.listenerCount('data'), e.eventNames());
console.log('emit returns', e.emit('data', 1), e.emit('nothing'));
e.emit('data', 2);
const l = () => console.log('removed');
e.on('x', l);
e.off('x', l);
console.log('x listeners', e.listenerCount('x'));
setTimeout(() => e.emit('ready', 'go', 2), 5);
const args = await once(e, 'ready');
console.log('once resolved', args);
setTimeout(() => {
  e.emit('tick', 1);
  e.emit('tick', 2);
  e.emit('end');
}, 3);
e.on('end', () => console.log('end'));
let seen = 0;
for await (const [v] of on(e, 'tick')) {
  console.log('tick', v);
  if (++seen === 2) break;
}
try {
  e.emit('error', new Error('bad'));
} catch (err) {
  console.log('caught', err.message);
}
