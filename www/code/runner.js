// Runs a learner's program on the code lab's engine (www/lab-pkg, built by `./build.sh lab`),
// each run in its own Worker (program-worker.js). The engine's wasm is fetched and compiled
// once, the first time a program runs, and the compiled Module goes to every Worker.
//
//   const result = await runProgram(source, { filename, trace, signal });
//   // { output: [{t, stream, text}], exitCode, message, endedAt, ...later streams, trace }
//
// Rejects with EngineMissingError when the engine is not built, StoppedError when `signal`
// aborts (Stop), LimitError when the Worker runs past the page's wall-time limit.
import { LimitError, StoppedError } from '../limits.js';

export const ENGINE_MISSING = "The code lab's engine is not built: run ./build.sh lab";
// The engine ends runaway programs itself (exit code 3); this catches a Worker that never
// answers at all.
export const RUN_WALL_MS = 60_000;

export class EngineMissingError extends Error {
  constructor(detail) {
    super(detail ? `${ENGINE_MISSING} (${detail})` : ENGINE_MISSING);
    this.name = 'EngineMissingError';
  }
}

const WASM_URL = new URL('../lab-pkg/streamlab_js_bg.wasm', import.meta.url);
let compiling = null;

async function compileEngine() {
  let response;
  try {
    response = await fetch(WASM_URL);
  } catch (err) {
    throw new EngineMissingError(err.message);
  }
  if (!response.ok) throw new EngineMissingError(`${WASM_URL.pathname}: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // A server without application/wasm: compile from the bytes instead.
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

// The compiled engine; a failed load is forgotten, so a later run tries again (after a build).
export function engineModule() {
  compiling ??= compileEngine().catch((err) => {
    compiling = null;
    throw err;
  });
  return compiling;
}

// A Worker that has been given the engine.
function engineWorker(module) {
  const worker = new Worker(new URL('./program-worker.js', import.meta.url), { type: 'module' });
  worker.postMessage({ module });
  return worker;
}

// After a run, the next run's Worker is started at once: its engine is instantiated while the
// learner reads the output, so Run answers sooner. One at most, never used twice.
let spare = null;
function takeWorker(module) {
  const worker = spare ?? engineWorker(module);
  spare = null;
  return worker;
}
function prepareSpare(module) {
  spare ??= engineWorker(module);
}

function withTrace(result) {
  if (typeof result?.traceJson === 'string') {
    result.trace = JSON.parse(result.traceJson);
    delete result.traceJson;
  }
  return result;
}

// Runs `source` to its end in a fresh Worker.
export async function runProgram(source, { filename = 'main.mjs', trace, signal } = {}) {
  if (signal?.aborted) throw new StoppedError();
  const module = await engineModule();
  if (signal?.aborted) throw new StoppedError();
  // The trace comes as JSON text, parsed here: one string crosses from the Worker far faster
  // than its 20,000 events as objects.
  const options = { filename: String(filename), traceJson: true };
  if (trace !== undefined) options.trace = Boolean(trace);
  const worker = takeWorker(module);
  return new Promise((resolve, reject) => {
    let timer = 0;
    const end = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      prepareSpare(module);
    };
    const stop = () => {
      end();
      reject(new StoppedError());
    };
    timer = setTimeout(() => {
      end();
      reject(
        new LimitError(`The program ran longer than ${RUN_WALL_MS / 1000} s of this browser's time and was stopped.`),
      );
    }, RUN_WALL_MS);
    signal?.addEventListener('abort', stop, { once: true });
    worker.onmessage = ({ data }) => {
      end();
      if (data.error !== undefined) reject(new Error(`The code lab's engine failed: ${data.error}`));
      else resolve(withTrace(data.result));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      end();
      reject(new Error(`The code lab's Worker stopped (${event.message || 'it could not run'})`));
    };
    worker.postMessage({ source: String(source), options });
  });
}
