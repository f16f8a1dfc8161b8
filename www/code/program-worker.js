// The code lab's engine in a Web Worker: one Worker per run, so a program's run never holds
// the page's main thread, and Stop ends it at once by terminating the Worker (the engine
// cannot be interrupted inside a run).
//
// Message in:  { module, source, options }   module: the compiled engine (WebAssembly.Module)
// Message out: { result }   the engine's result ({output, exitCode, message, endedAt, ...})
//              { error }    a message: the engine could not start or threw
// The source is only ever handed to the engine's runProgram, never evaluated here.
self.onmessage = async ({ data }) => {
  try {
    const glue = await import('../lab-pkg/streamlab_js.js');
    glue.initSync({ module: data.module });
    const result = glue.runProgram(String(data.source), data.options ?? {});
    self.postMessage({ result });
  } catch (err) {
    self.postMessage({ error: String(err?.message ?? err) });
  }
};
