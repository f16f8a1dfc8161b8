// The wasm core on the page's main thread: compiled once (the Module also goes to every
// Worker, run-worker.js), instantiated once, and replaced when it traps. Runs go to Workers;
// the main thread keeps the core for quick calls (validateScenario, a handle's
// highWaterMarks) and for the places where no Worker can be had.
//
// A WebAssembly.RuntimeError (a trap) leaves an instance unusable for every later call, so
// every call through loadCore()'s object is guarded: on a trap the instance is swapped for a
// spare one (made ahead, from the same Module) and the caller gets a CoreTrapError that says
// what happened. Handles made by the old instance refuse further use with a message.
import init, * as glue from './pkg/streamlab.js';
import { CoreTrapError } from './limits.js';

export const PAGE_VERSION = '0.1.0';

let loading = null;
let compiled = null; // the WebAssembly.Module, for Workers (null in the offline file)
let current = null; // { glue, memory, generation } of the live instance
let spare = null; // a Promise of the next instance, made ahead so a swap is immediate
let spareReady = null; // that instance once made
let generations = 0;
let traps = 0;

// One fetch and one compile; instantiate() and Workers share the Module.
async function compileCore() {
  const url = new URL('./pkg/streamlab_bg.wasm', import.meta.url);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      // A server without application/wasm: compile from the bytes instead.
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the core (${url.pathname}: HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// Resolves to the core's exports (guarded) once the wasm is compiled and instantiated.
export function loadCore() {
  loading ??= (async () => {
    if (globalThis.__streamlabOffline) {
      // The offline file's glue carries the bytes itself and cannot be loaded twice.
      const raw = await init();
      current = { glue, memory: raw?.memory ?? null, generation: 0 };
    } else {
      compiled = await compileCore();
      const raw = await init({ module_or_path: compiled });
      current = { glue, memory: raw?.memory ?? null, generation: 0 };
      setTimeout(prepareSpare, 0);
    }
    return core;
  })();
  return loading;
}

// The compiled Module for a Worker (null where there is none: the offline file).
export async function coreModule() {
  await loadCore();
  return compiled;
}

// A second copy of the glue (its own module record, so its own instance) from the Module.
function prepareSpare() {
  if (spare || !compiled) return;
  const generation = ++generations;
  spare = import(new URL(`./pkg/streamlab.js?instance=${generation}`, import.meta.url).href)
    .then((fresh) => {
      const raw = fresh.initSync({ module: compiled });
      spareReady = { glue: fresh, memory: raw?.memory ?? null, generation };
      return spareReady;
    })
    .catch(() => {
      spare = null; // tried again at the next trap
      return null;
    });
}

// After a trap: the spare becomes the live instance (at once if it is made) and a new spare
// is prepared. Where none can be made (the offline file) the page has to be reloaded.
function replaceInstance() {
  traps += 1;
  if (spareReady) {
    current = spareReady;
  } else {
    current = null;
    spare?.then((made) => {
      if (made) current = made;
    });
  }
  spare = null;
  spareReady = null;
  if (compiled) prepareSpare();
}

function live() {
  if (current) return current;
  throw new Error(
    compiled
      ? 'The core is being replaced after a failure; try again in a moment.'
      : 'The core failed and cannot be replaced in this file: reload the page.',
  );
}

// Calls into the instance of `generation`; a trap replaces the live instance.
function guard(generation, work) {
  const now = live();
  if (generation !== undefined && generation !== now.generation)
    throw new Error('This run belonged to a core that failed and was replaced: run again.');
  try {
    return work(now.glue);
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError)) throw err;
    replaceInstance();
    throw new CoreTrapError(err);
  }
}

// A Simulation handle whose every method call is guarded. Called with `new` as the core's
// own class is: a function that returns an object gives that object to `new`.
function GuardedSimulation(scenario, options) {
  const { generation } = live();
  const sim = guard(generation, (g) => new g.Simulation(scenario, options));
  return new Proxy(sim, {
    get(target, key) {
      const value = target[key];
      if (typeof value !== 'function') return value;
      // Freeing a handle of a replaced instance is a no-op, not an error in a finally block.
      if (key === 'free' && current?.generation !== generation) return () => {};
      return (...args) => guard(generation, () => value.apply(target, args));
    },
  });
}

const core = {
  runScenario: (scenario, options) => guard(undefined, (g) => g.runScenario(scenario, options)),
  validateScenario: (scenario) => guard(undefined, (g) => g.validateScenario(scenario)),
  traceKinds: () => guard(undefined, (g) => g.traceKinds()),
  traceSegmentEvents: () => guard(undefined, (g) => g.traceSegmentEvents()),
  Simulation: GuardedSimulation,
};

// How many times the page's instance trapped and was replaced (tests read it).
export function coreTraps() {
  return traps;
}

// The live instance's linear memory, which a main-thread run's trace is read from
// (trace-columns.js).
export function coreMemory() {
  return live().memory;
}

// The live wasm instance's linear memory in bytes (the benchmark checks it stays flat).
export function wasmMemoryBytes() {
  return current?.memory ? current.memory.buffer.byteLength : null;
}

// The core's own version string when it exports one.
export function coreVersion() {
  const g = current?.glue ?? glue;
  return typeof g.version === 'function' ? String(g.version()) : 'unknown';
}

// Scenarios may be given as JSON text or objects; the page keeps objects.
export function toScenario(input) {
  return typeof input === 'string' ? JSON.parse(input) : input;
}

// Runs a scenario to its end a slice at a time on the main thread, yielding between animation
// frames: only where no Worker can be had (the offline file, a cross-origin embed that
// cannot start one). A single macrotask cannot be sliced: `maxEvents` bounds it (and the
// run). Resolves to { result, ms, events }; rejects with the core's Error.
export async function runInSlices(scenario, options = { trace: false }, { budgetMs = 8, maxEvents } = {}) {
  const c = await loadCore();
  const sim = new c.Simulation(scenario, options);
  if (maxEvents) sim.setEventBudget(maxEvents);
  let ms = 0;
  try {
    for (;;) {
      const start = performance.now();
      let done = sim.done();
      while (!done && performance.now() - start < budgetMs) done = sim.stepMacrotasks(1);
      ms += performance.now() - start;
      if (done) return { result: sim.result(), ms, events: sim.eventCount() };
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    }
  } finally {
    sim.free();
  }
}
