// 1 GiB in 1,024 chunks of 1 MiB into a slow sink: the chunks must be let go as they are
// written (under a 600 MB address-space limit this fails if the engine holds them).
import { Readable, Writable, pipeline } from "node:stream";
let n = 0;
const src = new Readable({ read() { this.push(n++ < 1024 ? Buffer.alloc(1024 * 1024, 1) : null); } });
const sink = new Writable({ write(c, e, cb) { setTimeout(cb, 1); } });
pipeline(src, sink, (err) => console.log("done", err ?? "", n));
