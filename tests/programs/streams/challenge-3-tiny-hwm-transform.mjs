// A solution to the backpressure lesson's Challenge 3: a Transform with a very small
// highWaterMark between a fast producer and a fast consumer, at several highWaterMarks.
// Both ends are fast but not instant: the producer's source answers a read with a batch of
// up to 8 chunks on the next loop turn, the consumer takes one loop turn per chunk
// (setImmediate). Two transforms: one that answers synchronously and one that takes a loop
// turn per chunk. Printed: virtual elapsed time, how often the producer was asked to read
// and how often the transform's write() said "stop".
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

async function run(hwm, asyncTransform) {
  let reads = 0;
  let sent = 0;
  const producer = new Readable({
    read() {
      reads++;
      setImmediate(() => {
        for (let i = 0; i < 8 && sent < 64; i++) {
          sent++;
          if (!this.push(Buffer.alloc(256, 0x63))) break;
        }
        if (sent >= 64) this.push(null);
      });
    },
  });
  const narrow = new Transform({
    highWaterMark: hwm,
    transform(chunk, encoding, callback) {
      if (asyncTransform) setImmediate(callback, null, chunk);
      else callback(null, chunk);
    },
  });
  let stops = 0;
  const write = narrow.write;
  narrow.write = function (...args) {
    const ok = write.apply(this, args);
    if (!ok) stops++;
    return ok;
  };
  let bytes = 0;
  const consumer = new Writable({
    write(chunk, encoding, callback) {
      bytes += chunk.length;
      setImmediate(callback);
    },
  });
  const start = performance.now();
  await pipeline(producer, narrow, consumer);
  const elapsed = performance.now() - start;
  console.log(
    `  hwm=${String(hwm).padStart(5)}: ${bytes} bytes in ${String(elapsed).padStart(3)} ms,`,
    `${String(reads).padStart(2)} reads, write() said stop ${stops} times`,
  );
}

for (const asyncTransform of [false, true]) {
  console.log(asyncTransform ? "transform takes a loop turn per chunk:" : "synchronous transform:");
  for (const hwm of [1, 16, 256, 1024, 16384]) {
    await run(hwm, asyncTransform);
  }
}
