// setEncoding with encodings other than UTF-8: Node's StringDecoder keeps what it cannot
// decode yet across chunks (base64 whole 3-byte groups, UTF-16LE whole code units and
// surrogate pairs) and gives the rest at the end; readableEncoding names the encoding.
import { Readable } from "node:stream";

function source(chunks, encoding) {
  let i = 0;
  const r = new Readable({
    read() {
      setTimeout(() => this.push(i < chunks.length ? Buffer.from(chunks[i++]) : null), 1);
    },
  });
  if (encoding !== undefined) r.setEncoding(encoding);
  return r;
}

async function collect(label, r) {
  const parts = [];
  r.on("data", (d) => parts.push(d));
  await new Promise((resolve) => r.on("end", resolve));
  console.log(label, r.readableEncoding, JSON.stringify(parts), performance.now());
}

await collect("hex", source([[0xde, 0xad], [0xbe, 0xef, 0x01]], "hex"));
await collect("base64", source([[104, 101, 108, 108], [111, 32], [119, 111, 114, 108, 100]], "base64"));
await collect("base64 rest", source([[1, 2, 3, 4]], "BASE64"));
await collect("latin1", source([[0x63, 0x61, 0x66, 0xe9]], "binary"));
await collect("ascii", source([[0x68, 0xe9, 0x6c]], "ascii"));
// "h€😀" in UTF-16LE, split inside a code unit and inside the surrogate pair.
const u16 = [...Buffer.from("h\u20ac\u{1f600}!", "utf16le")];
await collect("utf16le", source([u16.slice(0, 3), u16.slice(3, 6), u16.slice(6, 7), u16.slice(7)], "ucs2"));
await collect("utf16le odd end", source([[0x41, 0x00, 0x42]], "utf16le"));
await collect("utf16le lone high surrogate", source([[0x3d, 0xd8]], "utf-16le"));
await collect("none", source([[1, 2]]));

// read() in paused mode returns the decoded strings, read(n) counts characters.
const paused = source([[0xff, 0x00, 0x10, 0x20]], "hex");
paused.on("readable", () => {
  let s;
  while ((s = paused.read(3)) !== null) console.log("read(3)", s, paused.readableLength);
});
await new Promise((r) => paused.on("end", r));
console.log("paused done");

try {
  new Readable({ read() {} }).setEncoding("utf-7");
} catch (err) {
  console.log(err.name, err.code, err.message);
}
console.log(Buffer.from("hi\u20ac", "utf16le"), Buffer.from([0x68, 0, 0xac, 0x20]).toString("ucs2"), Buffer.byteLength("abc", "utf16le"));

// setEncoding on a stream that already holds chunks: they become one decoded string.
const held = new Readable({ read() {} });
held.push(Buffer.from([0xe2, 0x82]));
held.push(Buffer.from([0xac, 0x41]));
console.log("held before", held.readableLength);
held.setEncoding("utf8");
console.log("held after", held.readableLength, JSON.stringify(held.read()));
held.push(Buffer.from([0xf0, 0x9f]));
held.setEncoding("base64");
console.log("held again", held.readableLength, JSON.stringify(held.read()));
