console.log('before');
setTimeout(() => console.log('never runs'), 10);
setTimeout(() => {
  throw new Error('boom in a timer');
}, 5);
