import { Readable, Writable, pipeline } from "stream";
import { pipeline as pp } from "stream/promises";
const r = Readable.from(["a", "b", "c"]);
const out = [];
const w = new Writable({ objectMode: true, write(c, e, cb) { out.push(c); console.log("write", c, e); cb(); } });
pipeline(r, w, (err, v) => { console.log("done", err, v, out); });
process.nextTick(() => console.log("tick"));
async function* gen() { for (let i = 0; i < 3; i++) { await null; yield i; } }
for await (const x of Readable.from(gen())) console.log("got", x);
const r2 = new Readable({ read() { this.push("xy"); this.push(null); } });
for await (const c of r2) console.log("chunk", c);
await pp(Readable.from([1,2]), new Writable({ objectMode: true, write(c, e, cb) { console.log("pp", c); setImmediate(cb); } }));
console.log("end");
