// expect exit 3: /a string longer than 33554432 characters/
const s = "x".repeat(2 ** 30);
console.log(s.length);
