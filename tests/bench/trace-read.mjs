// What a traced run costs the page beyond running it: reading its whole trace the way the
// page's Worker does, in batches of 2,048 events. Two ways, same core build, same run:
//
//   json     traceSince(i, 2048) (the core writes JSON, the page parses it) and bufferedAt(i)
//            per event: how the Worker read the trace before the trace had columns
//   columns  TraceReader.read(i, 2048) over wasm memory (www/trace-columns.js) and eventOf per
//            event: the Worker's batch plus the objects the player makes when it takes them
//
// Runs in Node (V8, as Chromium); the core is www/pkg (or --pkg DIR: a build without
// traceColumns is measured the json way only). Build first: ./build.sh build.
//
//   node tests/bench/trace-read.mjs [--pkg DIR] [--divisor N] [--rounds N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventOf, TraceReader } from '../../www/trace-columns.js';
import { scaled, toScenario, WORKLOADS } from './workloads.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BATCH = 2048;

function parseArgs(argv) {
  const args = { pkg: path.join(REPO, 'www/pkg'), divisor: 10, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pkg') args.pkg = path.resolve(argv[++i]);
    else if (a === '--divisor') args.divisor = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${a} (usage: trace-read.mjs [--pkg DIR] [--divisor N] [--rounds N])`);
  }
  if (!(args.divisor >= 1) || !(args.rounds >= 1)) throw new Error('--divisor and --rounds take numbers >= 1');
  return args;
}

const args = parseArgs(process.argv.slice(2));
const glue = await import(pathToFileURL(path.join(args.pkg, 'streamlab.js')).href);
const { memory } = glue.initSync({ module: readFileSync(path.join(args.pkg, 'streamlab_bg.wasm')) });
const hasColumns = typeof glue.Simulation.prototype.traceSegment === 'function';
const kinds = hasColumns ? Array.from(glue.traceKinds()) : null;

function readJson(sim) {
  const total = sim.traceLength();
  let sink = 0;
  for (let i = 0; i < total; ) {
    const events = sim.traceSince(i, BATCH);
    for (let k = 0; k < events.length; k++) {
      const row = sim.bufferedAt(i + k);
      sink += events[k].t + (row.sink ?? 0);
    }
    i += events.length;
  }
  return sink;
}

function readColumns(sim) {
  const total = sim.traceLength();
  const reader = new TraceReader(sim, memory, kinds, glue.traceSegmentEvents());
  let sink = 0;
  for (let i = 0; i < total; ) {
    const batch = reader.read(i, BATCH);
    for (let k = 0; k < batch.n; k++) sink += eventOf(batch, k, kinds).t + batch.rows[k * batch.names.length];
    i += batch.n;
  }
  return sink;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const w of WORKLOADS.filter((x) => x.transforms < 16)) {
  const workload = scaled(w, args.divisor);
  const scenario = toScenario(workload);
  const times = { run: [], json: [], columns: [] };
  let events = 0;
  for (let r = 0; r < args.rounds; r++) {
    for (const way of hasColumns ? ['json', 'columns'] : ['json']) {
      const sim = new glue.Simulation(scenario, { trace: true });
      let t = performance.now();
      sim.runToEnd();
      times.run.push(performance.now() - t);
      events = sim.traceLength();
      t = performance.now();
      (way === 'json' ? readJson : readColumns)(sim);
      times[way].push(performance.now() - t);
      sim.free();
    }
  }
  const ns = (ms) => ((ms * 1e6) / events).toFixed(0);
  rows.push({ workload: w.id, chunks: workload.chunks, events, times });
  console.log(
    `${w.id.padEnd(15)} ${String(workload.chunks).padStart(7)} chunks ${String(events).padStart(8)} events  ns/event: run ${ns(median(times.run)).padStart(5)}  read json ${ns(median(times.json)).padStart(6)}  read columns ${hasColumns ? ns(median(times.columns)).padStart(5) : '    —'}`,
  );
}
console.log(`wasm memory after all runs: ${(memory.buffer.byteLength / 1048576).toFixed(1)} MiB (${args.pkg})`);
