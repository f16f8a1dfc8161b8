// Section 5 of the lesson: "Object Mode Backpressure".
// Lines of the lesson's Experiment (www/lessons/backpressure-experiment.mjs, verbatim from the backpressure lesson),
// run alone: only the imports and the definitions it borrows from earlier sections are added.
import { Readable, Writable } from "stream";
import { pipeline as pipelinePromise } from "stream/promises";

console.log("\n=== Object Mode Backpressure ===\n");

// In object mode, highWaterMark is number of objects, not bytes
class ObjectProducer extends Readable {
  constructor(count) {
    super({ objectMode: true, highWaterMark: 4 });  // Buffer up to 4 objects
    this.count = count;
    this.current = 0;
  }

  _read() {
    if (this.current < this.count) {
      this.current++;
      this.push({ id: this.current, data: "x".repeat(1000) });
    } else {
      this.push(null);
    }
  }
}

class ObjectConsumer extends Writable {
  constructor() {
    super({ objectMode: true, highWaterMark: 2 });  // Buffer up to 2 objects
    this.processed = 0;
  }

  _write(obj, enc, cb) {
    this.processed++;
    setTimeout(cb, 5);  // Slow consumer
  }
}

const objProducer = new ObjectProducer(10);
const objConsumer = new ObjectConsumer();

await pipelinePromise(objProducer, objConsumer);

console.log("Object mode:");
console.log("  Produced:", objProducer.current, "objects");
console.log("  Consumed:", objConsumer.processed, "objects");
console.log("  Producer hwm: 4 objects, Consumer hwm: 2 objects");
