import { EventEmitter } from "node:events";
import util from "node:util";
import { setTimeout as delay, setImmediate as immediate } from "node:timers/promises";
class Ticker extends EventEmitter {
  constructor() { super(); this.count = 0; }
  start() { const id = setInterval(() => { this.emit("tick", ++this.count); if (this.count === 3) { clearInterval(id); this.emit("done"); } }, 10); }
}
const t = new Ticker();
t.on("tick", (n) => console.log("tick %d at %dms", n, performance.now()));
t.start();
await new Promise((r) => t.once("done", r));
console.log(util.inspect({ deep: { a: { b: { c: { d: 1 } } } } }, { depth: 0 }), util.format("%s:%s", "a"));
console.log(await immediate("imm"), await delay(5, "val"));
console.log(t.listenerCount("tick"), t.eventNames(), t);
const results = await Promise.all([delay(3, 1), delay(1, 2), Promise.resolve(3)]);
console.log(results, await Promise.race([delay(5, "slow"), delay(2, "fast")]));
const settled = await Promise.allSettled([Promise.reject(new Error("no")), 1]);
console.log(settled.map((s) => s.status));
label: for (const x of [1, 2]) { console.log(`x=${x}`.padStart(6, "*")); continue label; }
