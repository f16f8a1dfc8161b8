// The benchmark page's script, bundled by side-by-side.mjs with esbuild: readable-stream@4 and
// the shared workload runner for the browser, plus the Streamlab wasm core loaded from ./pkg/.
// Sets window.sideBySide; nothing runs until the benchmark calls it.
import { Buffer } from 'buffer';
import * as readableStream from 'readable-stream';
import { runWorkload } from './workloads.mjs';

let core = null;

window.sideBySide = {
  // readable-stream with the browser's own timers (setTimeout for the 1 ms sink).
  readableStream(workload) {
    return runWorkload(readableStream, Buffer, workload, () => performance.now());
  },

  // The core, run to the end through the Simulation handle (the stepping API the page uses);
  // the time covers building the simulation, running it and reading its summary.
  async core(scenario, trace) {
    if (!core) {
      core = await import(new URL('./pkg/streamlab.js', location.href).href);
      await core.default();
    }
    const start = performance.now();
    const sim = new core.Simulation(scenario, { trace });
    try {
      sim.runToEnd();
      const summary = sim.summary();
      const events = sim.traceLength();
      return { ms: performance.now() - start, summary, events };
    } finally {
      sim.free();
    }
  },
};
