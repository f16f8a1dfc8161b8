// Section 1 of the lesson: "Seeing Backpressure".
// Lines of the lesson's Experiment (www/lessons/backpressure-experiment.mjs, verbatim from the backpressure lesson),
// run alone: only the imports and the definitions it borrows from earlier sections are added.
import { Readable, Writable } from "stream";
import { pipeline as pipelinePromise } from "stream/promises";

console.log("=== Seeing Backpressure ===\n");

// Fast producer, slow consumer
class FastProducer extends Readable {
  constructor(total) {
    super({ highWaterMark: 64 });  // Small buffer to trigger backpressure quickly
    this.total = total;
    this.produced = 0;
    this.readCalls = 0;
  }

  _read(size) {
    this.readCalls++;
    if (this.produced < this.total) {
      this.produced++;
      this.push(`Chunk ${this.produced}\n`);
    } else {
      this.push(null);
    }
  }
}

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

const producer = new FastProducer(20);
const consumer = new SlowConsumer(10);

// Track drain events
consumer.on("drain", () => consumer.drainCount++);

await pipelinePromise(producer, consumer);

console.log("Producer:");
console.log("  Total chunks produced:", producer.produced);
console.log("  Times _read() was called:", producer.readCalls);
console.log("Consumer:");
console.log("  Total chunks consumed:", consumer.consumed);
console.log("  Drain events:", consumer.drainCount);
console.log("  (drain > 0 means backpressure was applied)");
