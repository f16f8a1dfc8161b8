// expect exit 3: /characters of output|limit/
let s = 'x';
for (let i = 0; i < 27; i++) s += s;
console.log(s);
