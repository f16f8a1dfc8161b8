import { Readable, Writable, Transform, Duplex, PassThrough, pipeline } from "stream";
import { once } from "events";
const d = new Duplex({ read() { this.push("d"); this.push(null); }, write(c, e, cb) { console.log("duplex got", c.toString()); cb(); } });
d.on("data", (c) => console.log("duplex data", c.toString()));
d.on("end", () => console.log("duplex end"));
d.write("in"); d.end();
d.on("finish", () => console.log("duplex finish", d instanceof Writable, d instanceof Readable));
const objT = new Transform({ readableObjectMode: true, transform(c, e, cb) { cb(null, { len: c.length }); } });
objT.on("data", (o) => console.log("obj", o));
objT.end("12345");
const src = new Readable({ read() {} });
const a = new PassThrough(), b = new PassThrough();
src.pipe(a); src.pipe(b);
a.on("data", (c) => console.log("a", c.toString()));
b.on("data", (c) => console.log("b", c.toString()));
src.push("both");
setTimeout(() => { src.unpipe(a); src.push("onlyb"); src.push(null); }, 1);
try { new Readable({ highWaterMark: -1 }); } catch (e) { console.log(e.code, e.message, e.name); }
try { new Writable({ write(c,e,cb){cb()} }).write(5); } catch (e) { console.log(e.code, e.message); }
try { new Writable({ write(c,e,cb){cb()} }).write(null); } catch (e) { console.log(e.code, e.message); }
const p1 = new Readable({ read() { this.push("x"); } });
const p2 = new Writable({ highWaterMark: 2, write(c, e, cb) { setTimeout(cb, 1); } });
pipeline(p1, p2, (err) => console.log("pipeline", err?.code, err?.message, p1.destroyed, p2.destroyed));
setTimeout(() => p2.destroy(new Error("stop")), 5);
const w = new Writable({ highWaterMark: 3, write(c, e, cb) { setImmediate(cb); } });
let n = 0;
while (w.write("ab")) n++;
console.log("writes before false", n, w.writableNeedDrain, w.writableLength);
await once(w, "drain");
console.log("drained", w.writableNeedDrain, w.writableLength);
