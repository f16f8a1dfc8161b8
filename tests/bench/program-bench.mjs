// The code lab's speed: a program run by Streamlab's engine (Boa on the core) natively and in
// the page, next to real Node running the same file. Not a test: nothing asserts a time.
//   node tests/bench/program-bench.mjs [--rounds N] [--chunks N]
// Needs `./build.sh build` (dist/www/lab-pkg) and `cargo build --release -p streamlab-js`.
// Programs: the lesson's whole Experiment (www/lessons/backpressure-experiment.mjs) and 10 GiB
// through a 1 ms JavaScript `_write` (programs/ten-gib-slow-sink.mjs; --chunks cuts it).
// Engines:
//   native   target/release/streamlab-exec FILE, a whole process (its start included)
//   page     window.streamlab.runProgram(source) in headless Chromium, engine already loaded
//            (half a second after the last run: the spare Worker has made its engine)
//   node     real Node 20 on the program oracle's virtual clock (tests/node/program-clock.cjs):
//            Node's own streams and timers, without waiting for real milliseconds
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openPage, startServer, waitForStreamlab } from '../e2e/harness.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 3);
const CHUNKS = arg('--chunks', 163840);
const EXEC = process.env.STREAMLAB_EXEC || join(ROOT, 'target/release/streamlab-exec');
const CLOCK = join(ROOT, 'tests/node/program-clock.cjs');
const LAB = join(ROOT, 'dist/www/lab-pkg/streamlab_js_bg.wasm');
for (const need of [EXEC, LAB]) {
  if (!existsSync(need))
    throw new Error(`${need} is missing: run ./build.sh build and cargo build --release -p streamlab-js`);
}
const PROGRAMS = [
  { id: 'lesson-experiment', file: join(ROOT, 'www/lessons/backpressure-experiment.mjs'), chunks: null },
  {
    id: `10GiB-1ms-write (${CHUNKS} chunks)`,
    file: join(ROOT, 'tests/bench/programs/ten-gib-slow-sink.mjs'),
    chunks: CHUNKS,
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timed(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  return { ms, stdout: r.stdout };
}

const server = await startServer();
const browser = await launchBrowser();
const { page } = await openPage(browser, server.url);
await waitForStreamlab(page, { timeout: 60000 });
// The engine loads with the first run; time the runs after it.
await page.evaluate(() => window.streamlab.runProgram('console.log(1)', { filename: 'warm.mjs' }));

const rows = [];
for (const p of PROGRAMS) {
  // One file for every engine, the chunk count written into it (a program's process.env is
  // empty in Streamlab).
  let source = readFileSync(p.file, 'utf8');
  if (p.chunks) source = source.replace('Number(process.env.CHUNKS ?? 163840)', String(p.chunks));
  mkdirSync(join(ROOT, 'tests/artifacts'), { recursive: true });
  const file = join(ROOT, 'tests/artifacts', `bench-${p.id.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  writeFileSync(file, source);
  const env = {};
  const times = { native: [], page: [], node: [] };
  let outputs = {};
  for (let round = 0; round < ROUNDS; round++) {
    const n = timed(EXEC, [file], env);
    times.native.push(n.ms);
    const w = await page.evaluate(async (src) => {
      // A learner reads the last output before pressing Run again: meanwhile the spare Worker
      // makes its engine (www/code/runner.js), which is what "engine already loaded" means.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const t0 = performance.now();
      const r = await window.streamlab.runProgram(src, { filename: 'bench.mjs' });
      return { ms: performance.now() - t0, text: r.output.map((o) => o.text).join(''), code: r.exitCode };
    }, source);
    if (w.code !== 0) throw new Error(`the page's run exited ${w.code}: ${w.text.slice(0, 400)}`);
    times.page.push(w.ms);
    const node = timed(process.execPath, ['--require', CLOCK, file], env);
    times.node.push(node.ms);
    outputs = { native: n.stdout, page: w.text, node: node.stdout };
  }
  const chunks = p.chunks ?? 0;
  rows.push({
    program: p.id,
    native_ms: median(times.native),
    page_ms: median(times.page),
    node_ms: median(times.node),
    native_ns_per_chunk: chunks ? (median(times.native) * 1e6) / chunks : null,
    page_ns_per_chunk: chunks ? (median(times.page) * 1e6) / chunks : null,
    node_ns_per_chunk: chunks ? (median(times.node) * 1e6) / chunks : null,
    same_output: outputs.native === outputs.page && outputs.native === outputs.node,
    last_line: outputs.native.trim().split('\n').at(-1),
  });
}
await browser.close();
await server.close();

const wasm = readFileSync(LAB);
const size = { wasm_bytes: statSync(LAB).size, wasm_gzip_bytes: gzipSync(wasm, { level: 9 }).length };
console.table(rows);
console.log(`engine wasm: ${size.wasm_bytes} bytes, ${size.wasm_gzip_bytes} gzipped`);
mkdirSync(join(ROOT, 'tests/artifacts'), { recursive: true });
writeFileSync(
  join(ROOT, 'tests/artifacts/program-bench.json'),
  `${JSON.stringify({ rounds: ROUNDS, rows, size }, null, 2)}\n`,
);
