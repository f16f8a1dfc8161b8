try {
  null.x;
} catch (e) {
  console.log(e instanceof TypeError);
}
Promise.reject(new Error('handled')).catch((e) => console.log('caught', e.message));
const err = new RangeError('r');
console.log(err.name, err.message);
process.nextTick(() => console.log('tick after'));
