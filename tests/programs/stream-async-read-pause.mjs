import { Readable, Writable } from "stream";
class Counter extends Readable {
  constructor() { super({ objectMode: true, highWaterMark: 2 }); this.n = 0; }
  async _read() { await new Promise((r) => setTimeout(r, 1)); this.n++; console.log("read", this.n, this.readableLength); this.push(this.n > 5 ? null : this.n); }
}
const c = new Counter();
c.on("data", (x) => console.log("data", x, c.readableFlowing));
c.on("pause", () => console.log("pause")); 
c.on("end", () => console.log("end", c.readableEnded));
c.on("close", () => console.log("close", c.destroyed));
setTimeout(() => { c.pause(); console.log("paused", c.isPaused()); setTimeout(() => c.resume(), 3); }, 3);
