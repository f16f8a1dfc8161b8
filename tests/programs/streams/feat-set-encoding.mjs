// setEncoding('utf8'): multi-byte characters split across pushed Buffers come out whole;
// readableEncoding; read() returns strings; a Transform with decodeStrings: false sees
// strings and their encoding.
import { Readable, Transform } from "node:stream";

const bytes = Buffer.from("héllo wörld €uro 😀!");
const r = new Readable({ read() {} });
console.log("encoding before", r.readableEncoding);
r.setEncoding("utf8");
console.log("encoding after", r.readableEncoding);
for (let i = 0; i < bytes.length; i += 3) r.push(bytes.subarray(i, i + 3));
r.push(null);
r.on("data", (s) => console.log("data", JSON.stringify(s), s.length));
r.on("end", () => console.log("end"));

const t = new Transform({
  decodeStrings: false,
  transform(chunk, encoding, callback) {
    console.log("transform got", typeof chunk, encoding, JSON.stringify(String(chunk)));
    callback(null, chunk);
  },
});
t.setEncoding("utf8");
t.write("plain");
t.write(Buffer.from("buf"));
t.end();
t.on("readable", () => {
  let s;
  while ((s = t.read()) !== null) console.log("read", typeof s, s);
});
