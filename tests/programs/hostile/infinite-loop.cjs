// expect exit 3: /a loop ran more than/
console.log('spinning');
while (true) {}
