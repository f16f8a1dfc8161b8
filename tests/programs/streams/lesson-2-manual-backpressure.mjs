// Section 2 of the lesson: "Manual Backpressure" (SlowConsumer from section 1).
// Lines of the lesson's Experiment (www/lessons/backpressure-experiment.mjs, verbatim from the backpressure lesson),
// run alone: only the imports and the definitions it borrows from earlier sections are added.
import { Writable } from "stream";

class SlowConsumer extends Writable {
  constructor(delayMs) {
    super({ highWaterMark: 32 });  // Small buffer
    this.delayMs = delayMs;
    this.consumed = 0;
    this.drainCount = 0;
  }

  _write(chunk, encoding, callback) {
    this.consumed++;
    // Simulate slow processing
    setTimeout(callback, this.delayMs);
  }
}

console.log("\n=== Manual Backpressure ===\n");

// Without pipe() — you must handle backpressure yourself
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

const slowWriter = new SlowConsumer(5);
slowWriter.on("drain", () => slowWriter.drainCount++);

const items = Array.from({ length: 30 }, (_, i) => `Item ${i}\n`);
const bpCount = await writeWithBackpressure(slowWriter, items);

console.log("Items written:", items.length);
console.log("Backpressure pauses:", bpCount);

