// expect exit 3: /more than 1000000 characters of output/
let s = 'x';
for (let i = 0; i < 27; i++) s += s;
console.log(s);
