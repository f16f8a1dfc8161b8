// pause() and resume() on a flowing Readable: 'pause'/'resume' events, readableFlowing and
// isPaused(), data held in the buffer while paused, and 'data' listeners added while paused.
import { Readable } from "node:stream";

let n = 0;
const r = new Readable({
  highWaterMark: 4,
  read() {
    n++;
    setTimeout(() => this.push(n <= 6 ? `d${n}` : null), 2);
  },
});
r.on("pause", () => console.log(performance.now(), "pause event", r.readableFlowing, r.isPaused()));
r.on("resume", () => console.log(performance.now(), "resume event", r.readableFlowing, r.isPaused()));
console.log("start", r.readableFlowing, r.isPaused());
r.on("data", (d) => {
  console.log(performance.now(), "data", d.toString());
  if (d.toString() === "d2") {
    r.pause();
    setTimeout(() => {
      console.log(performance.now(), "buffered while paused", r.readableLength);
      r.on("data", () => console.log("second listener"));
      console.log("flowing after adding a listener", r.readableFlowing);
      r.resume();
    }, 10);
  }
});
r.on("end", () => console.log(performance.now(), "end"));
