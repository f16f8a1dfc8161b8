const a = Buffer.alloc(10, 0x41); console.log(a.toString(), Buffer.alloc(7, "ab").toString(), Buffer.alloc(5, "").toString("hex"));
const b = Buffer.alloc(9); b.fill("xyz", 2, 8); console.log(b.toString("hex")); b.fill(0x31, 1); console.log(b.toString());
console.log(Buffer.alloc(4, 256 + 66).toString(), Buffer.alloc(3, "é").toString("hex"), Buffer.alloc(6).fill(Buffer.from([1,2])).toString("hex"));
console.log(Buffer.alloc(1024, 0x41).every((x) => x === 0x41), Buffer.alloc(100000, 7).reduce((s, x) => s + x, 0));
