// What recording the trace costs the wasm core, for one build or several side by side
// (before/after a change): each workload run with the trace off and on, builds and modes
// interleaved, the fastest of N rounds (the least disturbed on a shared machine); then, in a
// fresh process per build and workload, how much wasm memory one traced run grows.
//
//   node tests/bench/trace-cost.mjs [--pkg DIR]... [--divisor N] [--rounds N]
//
// --pkg defaults to www/pkg (./build.sh build). A build with reserveTrace is given the run's
// event count first, as the page's Worker does (it counts a run before tracing it).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scaled, toScenario, WORKLOADS } from './workloads.mjs';

const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '../..');

function parseArgs(argv) {
  const args = { pkgs: [], divisor: 10, rounds: 5, memory: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pkg') args.pkgs.push(path.resolve(argv[++i]));
    else if (a === '--divisor') args.divisor = Number(argv[++i]);
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--memory')
      args.memory = argv[++i]; // internal: one workload in this process
    else throw new Error(`unknown argument ${a} (usage: trace-cost.mjs [--pkg DIR]... [--divisor N] [--rounds N])`);
  }
  if (!args.pkgs.length) args.pkgs.push(path.join(REPO, 'www/pkg'));
  if (!(args.divisor >= 1) || !(args.rounds >= 1)) throw new Error('--divisor and --rounds take numbers >= 1');
  return args;
}

async function load(pkg) {
  const glue = await import(pathToFileURL(path.join(pkg, 'streamlab.js')).href);
  const { memory } = glue.initSync({ module: readFileSync(path.join(pkg, 'streamlab_bg.wasm')) });
  return { glue, memory };
}

function countEvents(glue, scenario) {
  const sim = new glue.Simulation(scenario, { trace: false });
  sim.runToEnd();
  const n = sim.eventCount();
  sim.free();
  return n;
}

// A child process: the memory one traced run grows in a fresh instance.
async function memoryOfOne(pkg, id, divisor) {
  const { glue, memory } = await load(pkg);
  const scenario = toScenario(
    scaled(
      WORKLOADS.find((w) => w.id === id),
      divisor,
    ),
  );
  const events = countEvents(glue, scenario);
  const before = memory.buffer.byteLength;
  const sim = new glue.Simulation(scenario, { trace: true });
  sim.reserveTrace?.(events);
  sim.runToEnd();
  sim.free();
  console.log(JSON.stringify({ events, before, after: memory.buffer.byteLength }));
}

const args = parseArgs(process.argv.slice(2));
if (args.memory) {
  await memoryOfOne(args.pkgs[0], args.memory, args.divisor);
} else {
  const builds = [];
  for (const pkg of args.pkgs) builds.push({ pkg, ...(await load(pkg)) });
  const workloads = WORKLOADS.filter((w) => w.transforms < 16).map((w) => scaled(w, args.divisor));
  console.log(`${args.rounds} rounds, workloads at 1/${args.divisor}; ns per event, fastest round`);
  for (const w of workloads) {
    const scenario = toScenario(w);
    const best = builds.map(() => ({ off: Infinity, on: Infinity }));
    let events = 0;
    for (let r = 0; r < args.rounds; r++) {
      builds.forEach((b, k) => {
        for (const trace of [false, true]) {
          if (trace) events = countEvents(b.glue, scenario);
          const start = performance.now();
          const sim = new b.glue.Simulation(scenario, { trace });
          if (trace) sim.reserveTrace?.(events);
          sim.runToEnd();
          sim.summary();
          const ms = performance.now() - start;
          sim.free();
          const key = trace ? 'on' : 'off';
          best[k][key] = Math.min(best[k][key], ms);
        }
      });
    }
    builds.forEach((b, k) => {
      const out = spawnSync(
        process.execPath,
        [HERE, '--pkg', b.pkg, '--divisor', String(args.divisor), '--memory', w.id],
        { encoding: 'utf8' },
      );
      const mem = out.status === 0 ? JSON.parse(out.stdout) : null;
      const ns = (ms) => ((ms * 1e6) / events).toFixed(0).padStart(5);
      const grown = mem ? `${((mem.after - mem.before) / mem.events).toFixed(1)} B/event` : out.stderr.split('\n')[0];
      console.log(
        `${w.id.padEnd(15)} ${String(events).padStart(8)} events  off ${ns(best[k].off)}  on ${ns(best[k].on)}  on/off ${(best[k].on / best[k].off).toFixed(2)}  memory ${grown}  ${path.relative(REPO, b.pkg) || b.pkg}`,
      );
    });
  }
}
