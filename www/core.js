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

// ---- the core in a Worker ----------------------------------------------------------------

let worker = null;
let workerUnusable = false;
let nextRequest = 1;
const pending = new Map(); // request id -> { resolve, reject, fallback }

// The page's own Worker, or null where there can be none: from file:// (the offline file), on
// another origin (an embedded element), or after it failed once.
function coreWorker() {
  if (workerUnusable || typeof Worker !== 'function' || !/^https?:$/.test(location.protocol)) return null;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./core-worker.js', import.meta.url), { type: 'module' });
  } catch {
    workerUnusable = true;
    return null;
  }
  worker.onmessage = ({ data }) => {
    const request = pending.get(data.id);
    if (!request) return;
    pending.delete(data.id);
    if (data.error !== undefined) request.reject(new Error(data.error));
    else request.resolve({ result: data.result, ms: data.ms });
  };
  // The worker could not start (or died): finish what it held on the main thread, in slices.
  worker.onerror = (event) => {
    event.preventDefault();
    workerUnusable = true;
    worker.terminate();
    worker = null;
    for (const request of pending.values()) request.fallback();
    pending.clear();
  };
  return worker;
}

// Runs a scenario to its end away from the page: in the Worker where there is one, else a
// slice per frame (runInSlices). Resolves to { result, ms }, rejects with the core's Error.
export function runInBackground(scenario, options = { trace: false }) {
  const w = coreWorker();
  if (!w) return runInSlices(scenario, options);
  return new Promise((resolve, reject) => {
    const id = nextRequest++;
    const fallback = () => runInSlices(scenario, options).then(resolve, reject);
    pending.set(id, { resolve, reject, fallback });
    w.postMessage({ id, scenario, options });
  });
}
