// Ticks before promises in CommonJS; timers before immediates from the main module.
setImmediate(() => console.log('immediate'));
setTimeout(() => console.log('timeout 0'), 0);
Promise.resolve()
  .then(() => console.log('promise 1'))
  .then(() => console.log('promise 2'));
process.nextTick(() => console.log('tick 1'));
queueMicrotask(() => console.log('microtask'));
process.nextTick(() => {
  console.log('tick 2');
  Promise.resolve().then(() => console.log('promise from tick'));
  process.nextTick(() => console.log('tick from tick'));
});
console.log('main');
