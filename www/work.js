// The work a run's streams did, counted from its trace, and the explicit cost model that
// turns work into modelled time. Virtual time is Node's clock in the simulation, where
// JavaScript's own work takes no time; the model adds a cost per stream call and per byte
// copied, with figures the learner sets, so the cost of many small calls can be seen
// deterministically. It is a labelled model, not a measurement of Node.
export const COST_DEFAULTS = { perCallUs: 1, perByteUs: 0.0005 };

// Counts per kind of call, over all streams. bytesCopied: bytes pushed into a readable's
// buffer plus bytes written into a writable's (each is one copy in Node's Buffer handling).
export function workOf(trace) {
  const w = { reads: 0, pushes: 0, writes: 0, writeCalls: 0, callbacks: 0, drains: 0, pauses: 0, resumes: 0 };
  let bytes = 0;
  for (const e of trace) {
    if (e.ev === 'read') w.reads += 1;
    else if (e.ev === 'push') {
      w.pushes += 1;
      bytes += e.len ?? 0;
    } else if (e.ev === 'write') {
      w.writes += 1;
      bytes += e.len ?? 0;
    } else if (e.ev === '_write') w.writeCalls += 1;
    else if (e.ev === 'cb') w.callbacks += 1;
    else if (e.ev === 'drain') w.drains += 1;
    else if (e.ev === 'pause') w.pauses += 1;
    else if (e.ev === 'resume') w.resumes += 1;
  }
  w.calls = w.reads + w.pushes + w.writes + w.writeCalls + w.callbacks + w.drains + w.pauses + w.resumes;
  w.bytesCopied = bytes;
  return w;
}

// Virtual time plus the model's cost of the work, in milliseconds.
export function modelledMs(virtualMs, work, { perCallUs, perByteUs } = COST_DEFAULTS) {
  return virtualMs + (work.calls * perCallUs + work.bytesCopied * perByteUs) / 1000;
}
