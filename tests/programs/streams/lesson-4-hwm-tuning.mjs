// Section 4 of the lesson: "highWaterMark Tuning".
// Lines of the lesson's Experiment (www/lessons/backpressure-experiment.mjs, verbatim from the backpressure lesson),
// run alone: only the imports and the definitions it borrows from earlier sections are added.
import { Readable, Writable } from "stream";
import { pipeline as pipelinePromise } from "stream/promises";

console.log("\n=== highWaterMark Tuning ===\n");

async function measureThroughput(hwm, chunkCount) {
  let bytesProcessed = 0;

  const source = new Readable({
    highWaterMark: hwm,
    read() {
      if (bytesProcessed < chunkCount * 1024) {
        this.push(Buffer.alloc(1024, 0x41));
        bytesProcessed += 1024;
      } else {
        this.push(null);
      }
    }
  });

  const sink = new Writable({
    highWaterMark: hwm,
    write(chunk, enc, cb) { cb(); }
  });

  const start = performance.now();
  await pipelinePromise(source, sink);
  const elapsed = performance.now() - start;

  return { hwm, bytes: bytesProcessed, elapsed: elapsed.toFixed(1) };
}

// Compare different highWaterMark sizes
const results = [];
for (const hwm of [64, 1024, 16384, 65536]) {
  const result = await measureThroughput(hwm, 1000);
  results.push(result);
}

console.log("highWaterMark vs throughput (1 MB of data):");
for (const r of results) {
  console.log(`  hwm=${String(r.hwm).padStart(5)}: ${r.elapsed}ms`);
}
console.log("\n  Larger buffers = fewer reads/writes = higher throughput");
console.log("  But also = more memory usage per stream");

