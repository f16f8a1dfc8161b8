// The code lab's engine in a Web Worker: one Worker per run, so a program's run never holds
// the page's main thread, and Stop ends it at once by terminating the Worker (the engine
// cannot be interrupted inside a run). A Worker is given the engine first and the program
// later, so the page can keep one ready before the learner presses Run.
//
// Messages in:  { module }              the compiled engine (WebAssembly.Module): instantiate it
//               { source, options }     run this program (once; the page then ends the Worker)
// Message out:  { result }   the engine's result ({output, exitCode, message, endedAt, ...})
//               { error }    a message: the engine could not start or threw
// The source is only ever handed to the engine's runProgram, never evaluated here.
let engine = null;

async function start(module) {
  const glue = await import('../lab-pkg/streamlab_js.js');
  glue.initSync({ module });
  // Node's globals are made now, while the page waits for Run: they are most of a small
  // program's run. A program asking for Node 22 makes its own.
  glue.prepareProgram({ node: 20 });
  return glue;
}

self.onmessage = async ({ data }) => {
  if (data.module) {
    engine = start(data.module);
    engine.catch(() => {}); // reported when a program comes
    return;
  }
  try {
    if (!engine) throw new Error('no engine was given to this Worker');
    const glue = await engine;
    const result = glue.runProgram(String(data.source), data.options ?? {});
    self.postMessage({ result });
  } catch (err) {
    // A trap is the engine failing, not the program: wasm has no unwinding, so a panic in the
    // engine ends the run here. (Natively the runner reports one such panic, endless recursion
    // in a module with top-level await, as the program's limit.)
    const trap = err instanceof WebAssembly.RuntimeError;
    const message = String(err?.message ?? err);
    self.postMessage({
      error: trap
        ? `The code lab's engine stopped on this program (${message}). Deep or endless recursion at the top level of a module that uses top-level await does this; otherwise it is a bug in Streamlab.`
        : message,
    });
  }
};
