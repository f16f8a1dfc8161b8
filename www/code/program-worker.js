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
    self.postMessage({ error: String(err?.message ?? err) });
  }
};
