import { Readable, Writable, Transform, pipeline } from "stream";
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
