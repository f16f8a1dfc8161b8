// The side-by-side benchmark's workloads, one description each, and the two ways they are run:
// as a Streamlab scenario (docs/SCENARIO.md) for the core, and as a real stream pipeline for
// Node's own streams or readable-stream. The pipeline runner takes the stream library as an
// argument, so node:stream and readable-stream (in Node or bundled into a browser page) run the
// very same code. It imports nothing, so esbuild can bundle it as is.

// chunks: how many chunks the source pushes; chunkBytes: each one's size; sinkDelayMs: null for a
// sink that calls back synchronously, else setTimeout(cb, sinkDelayMs) with real timers.
export const WORKLOADS = [
  {
    id: '10GiB-1ms-sink',
    chunks: 163_840,
    chunkBytes: 65_536,
    sourceHwm: 65_536,
    sinkHwm: 16_384,
    sinkDelayMs: 1,
    transforms: 0,
  },
  { id: 'sync-hwm64', chunks: 100_000, chunkBytes: 1024, sourceHwm: 64, sinkHwm: 64, sinkDelayMs: null, transforms: 0 },
  {
    id: 'sync-hwm16384',
    chunks: 100_000,
    chunkBytes: 1024,
    sourceHwm: 16_384,
    sinkHwm: 16_384,
    sinkDelayMs: null,
    transforms: 0,
  },
  {
    id: 'transforms-4',
    chunks: 100_000,
    chunkBytes: 1024,
    sourceHwm: 16_384,
    sinkHwm: 16_384,
    sinkDelayMs: null,
    transforms: 4,
  },
  // Traced at 40,000 chunks (2.8 M events): at full size its 6.9 M events pass a traced run's
  // 5,000,000-event budget (SCENARIO.md), and its JSON result the native runner's 256 MiB.
  // Per chunk, a traced run costs the same at any length (the trace's segments never move).
  {
    id: 'transforms-16',
    tracedChunks: 40_000,
    chunks: 100_000,
    chunkBytes: 1024,
    sourceHwm: 16_384,
    sinkHwm: 16_384,
    sinkDelayMs: null,
    transforms: 16,
  },
];

// The workload with its chunk count divided by `divisor` (at least 1 chunk).
export function scaled(workload, divisor) {
  const w = { ...workload, chunks: Math.max(1, Math.round(workload.chunks / divisor)) };
  if (workload.tracedChunks) w.tracedChunks = Math.max(1, Math.round(workload.tracedChunks / divisor));
  return w;
}

// The workload as a traced run takes it: at `tracedChunks` where the full run is past the
// traced budget.
export function traced(workload) {
  return workload.tracedChunks ? { ...workload, chunks: workload.tracedChunks } : workload;
}

// The workload as a scenario@1 for the core (pipeline; each transform's highWaterMark is the
// source's, on both its sides, as `new Transform({highWaterMark})` sets in Node).
export function toScenario(w) {
  const scenario = {
    schema: 'streamlab/scenario@1',
    name: `side-by-side ${w.id}`,
    connect: 'pipeline',
    source: { chunks: w.chunks, chunk: { bytes: w.chunkBytes }, highWaterMark: w.sourceHwm },
    sink: { highWaterMark: w.sinkHwm, delayMs: w.sinkDelayMs },
  };
  if (w.transforms > 0) {
    scenario.transforms = Array.from({ length: w.transforms }, () => ({ highWaterMark: w.sourceHwm }));
  }
  return scenario;
}

// What the pipeline runner counts, named as in the core's summary.
export const COUNTED = ['produced', 'readCalls', 'consumed', 'writeFalse', 'drainEvents', 'maxWritableLengthInWrite'];

// Runs the workload through lib.pipeline(source, ...transforms, sink) and resolves to
// { ms, counts } once pipeline's callback ran. `lib` is node:stream or readable-stream;
// `BufferImpl` the Buffer that library writes (Node's, or the `buffer` package in a page);
// `now` a millisecond clock (performance.now). One chunk Buffer is pushed over and over: the
// core holds no bytes either, so both measure the streams' machinery, not allocation.
// The counts are taken as the core takes them: `write()` on the sink wrapped to count a false
// return, a 'drain' listener (pipe keeps its own; one more changes nothing), and _read / _write
// counting their calls.
export function runWorkload(lib, BufferImpl, w, now) {
  const chunk = BufferImpl.alloc(w.chunkBytes, 0x41);
  const counts = {
    produced: 0,
    readCalls: 0,
    consumed: 0,
    writeFalse: 0,
    drainEvents: 0,
    maxWritableLengthInWrite: 0,
  };
  return new Promise((resolve, reject) => {
    const start = now();
    const source = new lib.Readable({
      highWaterMark: w.sourceHwm,
      read() {
        counts.readCalls++;
        if (counts.produced < w.chunks) {
          this.push(chunk);
          counts.produced++;
        } else {
          this.push(null);
        }
      },
    });
    const transforms = Array.from(
      { length: w.transforms },
      () =>
        new lib.Transform({
          highWaterMark: w.sourceHwm,
          transform(data, _encoding, callback) {
            callback(null, data);
          },
        }),
    );
    const sink = new lib.Writable({
      highWaterMark: w.sinkHwm,
      write(_data, _encoding, callback) {
        counts.consumed++;
        if (this.writableLength > counts.maxWritableLengthInWrite)
          counts.maxWritableLengthInWrite = this.writableLength;
        if (w.sinkDelayMs === null) callback();
        else setTimeout(callback, w.sinkDelayMs);
      },
    });
    const write = sink.write;
    sink.write = function countedWrite(...args) {
      const ok = write.apply(this, args);
      if (!ok) counts.writeFalse++;
      return ok;
    };
    sink.on('drain', () => {
      counts.drainEvents++;
    });
    lib.pipeline(source, ...transforms, sink, (err) => {
      if (err) reject(err);
      else resolve({ ms: now() - start, counts });
    });
  });
}

// Where readable-stream@4 and Node 20 are known to count differently. readable-stream@4 is cut
// from Node 18's streams: its write() compares writableLength with the highWaterMark before calling
// _write, so a sink that calls back synchronously still answers false to every chunk at least
// as large as its highWaterMark (and emits 'drain' after each). Node 20 (20.20 here) compares after _write,
// when a synchronous callback has already taken the chunk off: write() returns true. Only the
// workloads with 1 KiB chunks into a sync sink of highWaterMark 64 meet this.
export function knownDifference(engine, workload, key) {
  return (
    engine.startsWith('readable-stream') &&
    workload.sinkDelayMs === null &&
    workload.chunkBytes >= workload.sinkHwm &&
    (key === 'writeFalse' || key === 'drainEvents')
  );
}

// For one workload in one round: { differ, known }, each a list of "engine: key got (ref)"
// for the counts where an engine's differ from the reference engine's; `known` holds those
// that knownDifference() explains.
export function disagreements(workload, byEngine, reference = 'node:stream') {
  const ref = byEngine[reference]?.counts ?? byEngine[reference]?.summary;
  const differ = [];
  const known = [];
  if (!ref) return { differ, known };
  for (const [engine, run] of Object.entries(byEngine)) {
    const got = run.counts ?? run.summary;
    // A traced run cut to tracedChunks is another run: its counts are not comparable.
    if (!got || (run.chunks && run.chunks !== workload.chunks)) continue;
    for (const k of COUNTED) {
      if (got[k] === ref[k]) continue;
      const line = `${engine}: ${k} ${got[k]} (${reference} ${ref[k]})`;
      (knownDifference(engine, workload, k) ? known : differ).push(line);
    }
  }
  return { differ, known };
}
