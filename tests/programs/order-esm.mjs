// In an ES module the body runs inside a microtask: promises before ticks.
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('promise'));
await null;
console.log('after await');
process.nextTick(() => console.log('tick 2'));
Promise.resolve().then(() => console.log('promise 2'));
