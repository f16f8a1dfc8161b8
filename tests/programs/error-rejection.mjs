console.log('start');
setTimeout(() => console.log('never'), 20);
async function fail() {
  await null;
  throw new TypeError('async failure');
}
setTimeout(() => fail(), 5);
