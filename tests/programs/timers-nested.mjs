import { setTimeout as sleep } from 'node:timers/promises';
const t0 = performance.now();
setTimeout(() => {
  console.log('a at', performance.now() - t0);
  setTimeout(() => console.log('a.1 at', performance.now() - t0), 5);
  setImmediate(() => console.log('a.immediate'));
  process.nextTick(() => console.log('a.tick'));
}, 10);
setTimeout(() => console.log('b at', performance.now() - t0), 10);
setTimeout(() => console.log('c at', performance.now() - t0), 15);
const t = setTimeout(() => console.log('never'), 12);
clearTimeout(t);
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('interval', n, performance.now() - t0);
  if (n === 3) clearInterval(iv);
}, 4);
await sleep(30);
console.log('slept until', performance.now() - t0, Date.now() - 1767225600000);
const im = setImmediate(() => console.log('cleared immediate'));
clearImmediate(im);
setImmediate((x, y) => console.log('immediate args', x, y), 1, 'two');
setTimeout((x) => console.log('timeout arg', x), 1, 'one');
