// expect exit 3: /Streamlab stopped the program: .*(real time|stream events).*is a stream pushing or writing forever\?/
// A Readable that never ends, read as fast as it pushes: every step is a tick, no timer ever
// runs, so only the runner's stream-event and time budgets can end it.
const { Readable } = require("stream");
let n = 0;
new Readable({
  read() {
    this.push("x");
  },
}).on("data", () => {
  n++;
});
