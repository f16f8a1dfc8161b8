// Section 3 of the lesson: "What Happens WITHOUT Backpressure" (writeWithBackpressure from section 2).
// Lines of the lesson's Experiment (www/lessons/backpressure-experiment.mjs, verbatim from the backpressure lesson),
// run alone: only the imports and the definitions it borrows from earlier sections are added.
import { Writable } from "stream";

async function writeWithBackpressure(writable, items) {
  let backpressureCount = 0;

  for (const item of items) {
    const ok = writable.write(item);
    if (!ok) {
      backpressureCount++;
      await new Promise(resolve => writable.once("drain", resolve));
    }
  }

  writable.end();
  await new Promise((resolve, reject) => {
    writable.on("finish", resolve);
    writable.on("error", reject);
  });

  return backpressureCount;
}

console.log("\n=== What Happens WITHOUT Backpressure ===\n");

// Ignoring write() return value — buffer grows unbounded
class MemoryTracker extends Writable {
  constructor() {
    super({ highWaterMark: 16 });  // 16 byte buffer
    this.maxBuffered = 0;
    this.writeCount = 0;
  }

  _write(chunk, encoding, callback) {
    this.writeCount++;
    // Track maximum buffer size
    if (this.writableLength > this.maxBuffered) {
      this.maxBuffered = this.writableLength;
    }
    // Simulate slow write
    setTimeout(callback, 1);
  }
}

// BAD: ignoring backpressure
const badWriter = new MemoryTracker();
for (let i = 0; i < 100; i++) {
  badWriter.write(`${"x".repeat(100)}\n`);  // Ignoring return value!
}
badWriter.end();
await new Promise(resolve => badWriter.on("finish", resolve));

console.log("Without backpressure:");
console.log("  Max buffered:", badWriter.maxBuffered, "bytes");
console.log("  (entire dataset was buffered in memory)");

// GOOD: respecting backpressure
const goodWriter = new MemoryTracker();
const goodItems = Array.from({ length: 100 }, (_, i) => `${"x".repeat(100)}\n`);
await writeWithBackpressure(goodWriter, goodItems);

console.log("\nWith backpressure:");
console.log("  Max buffered:", goodWriter.maxBuffered, "bytes");
console.log("  (bounded by highWaterMark)");

