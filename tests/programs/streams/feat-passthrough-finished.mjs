// PassThrough and finished(): finished callbacks for a normal end, a premature close
// (ERR_STREAM_PREMATURE_CLOSE) and an error; the promise form from stream/promises.
import { finished, PassThrough, Readable } from "node:stream";
import { finished as finishedP } from "node:stream/promises";

const p = new PassThrough();
finished(p, (err) => console.log("passthrough finished", err));
p.on("data", (d) => console.log("passthrough data", d.toString()));
p.write("through");
p.end();

const early = new Readable({ read() {} });
finished(early, (err) => console.log("early:", err.code, err.message));
early.push("partial");
setTimeout(() => early.destroy(), 2);

const bad = new PassThrough();
finished(bad, (err) => console.log("bad:", err.message));
bad.destroy(new Error("broken pipe"));

const ok = Readable.from(["x"]);
ok.resume();
await finishedP(ok);
console.log("promise finished", performance.now());
