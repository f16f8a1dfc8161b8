// The wasm core, loaded once. Every other module reaches the core through here so the
// page has exactly one instance and one place that waits for it.
import init, * as wasm from './pkg/streamlab.js';

export const PAGE_VERSION = '0.1.0';

let loading = null;
let memory = null;

// Resolves to the core's exports once the wasm is compiled and instantiated.
export function loadCore() {
  loading ??= init().then((raw) => {
    memory = raw?.memory ?? null;
    return wasm;
  });
  return loading;
}

// The wasm instance's linear memory in bytes (the benchmark checks it stays flat).
export function wasmMemoryBytes() {
  return memory ? memory.buffer.byteLength : null;
}

// The core's own version string when it exports one.
export function coreVersion() {
  return typeof wasm.version === 'function' ? String(wasm.version()) : 'unknown';
}

// Scenarios may be given as JSON text or objects; the page keeps objects.
export function toScenario(input) {
  return typeof input === 'string' ? JSON.parse(input) : input;
}

// Runs a scenario to its end and also measures the core's own wall time for it.
export async function runTimed(scenario, options = { trace: false }) {
  const core = await loadCore();
  const start = performance.now();
  const result = core.runScenario(scenario, options);
  return { result, ms: performance.now() - start };
}

// Runs a scenario to its end a slice at a time, yielding to the browser between animation
// frames, so that a long run (10 GiB through a slow sink) never blocks the page for more
// than about `budgetMs`. Resolves to { result, ms } with ms the core's own time; rejects with
// the core's Error (a message naming the field, or the runner limit that was hit).
export async function runInSlices(scenario, options = { trace: false }, budgetMs = 8) {
  const core = await loadCore();
  const sim = new core.Simulation(scenario, options);
  let ms = 0;
  try {
    for (;;) {
      const start = performance.now();
      let done = sim.done();
      while (!done && performance.now() - start < budgetMs) done = sim.stepMacrotasks(2000);
      ms += performance.now() - start;
      if (done) return { result: sim.result(), ms };
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    }
  } finally {
    sim.free();
  }
}
