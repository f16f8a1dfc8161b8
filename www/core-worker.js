// The core in a Web Worker: long runs with the trace off go here, so the page's main thread
// never waits on them (a 10,000,000-item write loop is one macrotask the core cannot slice).
// Messages: { id, scenario, options } in; { id, result, ms } or { id, error } out.
import init, { runScenario } from './pkg/streamlab.js';

const ready = init();

self.onmessage = async ({ data }) => {
  const { id, scenario, options } = data;
  try {
    await ready;
    const start = performance.now();
    const result = runScenario(scenario, options);
    self.postMessage({ id, result, ms: performance.now() - start });
  } catch (err) {
    self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
