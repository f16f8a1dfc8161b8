// Side by side (a benchmark, not a test): the same workloads on Node's own streams, on
// readable-stream@4 in headless Chromium, on the Streamlab wasm core in that same page (trace on
// and off) and on the native runner (trace on and off). Prints ns per chunk (median and min–max
// over the rounds) and the ratio to Node's own streams; writes tests/artifacts/side-by-side.json.
//
//   ./build.sh build && node tests/bench/side-by-side.mjs [--rounds N] [--quick | --full]
//
// --rounds N  rounds (default 3); each round runs every engine once per workload, interleaved
// --quick     every workload with 10x fewer chunks than by default (the 1 ms sink at 1/100)
// --full      the 1 ms sink workload at its full 10 GiB (real timers: about 3 minutes per run
//             for Node and far longer in Chromium, whose nested timers wait 4 ms); by default it
//             runs at 1/10 (1 GiB)
//
// Node's streams and readable-stream use real timers for the 1 ms sink; the core counts virtual
// time. The native runner is timed as a whole process, minus the median of runs of the same
// workload cut to 1 chunk (process start, reading the scenario and writing the result).
// Every round also checks that the engines agree on the counts each can report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import * as nodeStream from 'node:stream';
import * as esbuild from 'esbuild';
import { startServer, launchBrowser, openPage, ARTIFACTS, REPO, CHROMIUM } from '../e2e/harness.mjs';
import { WORKLOADS, scaled, traced, toScenario, runWorkload, disagreements } from './workloads.mjs';

function parseArgs(argv) {
  const args = { rounds: 3, quick: false, full: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--full') args.full = true;
    else if (a === '--rounds') {
      args.rounds = Number(argv[++i]);
      if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number >= 1');
    } else throw new Error(`unknown argument ${a} (usage: side-by-side.mjs [--rounds N] [--quick | --full])`);
  }
  if (args.quick && args.full) throw new Error('--quick and --full exclude each other');
  return args;
}

// The workloads this run uses: without --full the 1 ms sink is cut 10x; --quick cuts every one
// 10x more.
function chosenWorkloads({ quick, full }) {
  return WORKLOADS.map((w) => {
    const timed = w.sinkDelayMs !== null;
    if (quick) return scaled(w, timed ? 100 : 10);
    return timed && !full ? scaled(w, 10) : w;
  });
}

// Another build can be measured in place of this one (a before/after comparison):
// STREAMLAB_NATIVE=path/to/streamlab STREAMLAB_PKG=path/to/pkg node tests/bench/side-by-side.mjs
const NATIVE = process.env.STREAMLAB_NATIVE || path.join(REPO, 'target/release/streamlab');
const PKG = process.env.STREAMLAB_PKG || path.join(REPO, 'www/pkg');

// A page root in a temp dir: a blank index.html, the bundle (readable-stream + the runner +
// the core's loader) and a copy of the built core in pkg/.
async function preparePage() {
  for (const need of [path.join(PKG, 'streamlab.js'), path.join(PKG, 'streamlab_bg.wasm'), NATIVE]) {
    if (!fs.existsSync(need)) throw new Error(`${need} missing: run ./build.sh build first`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-side-by-side-'));
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>side by side</title><link rel="icon" href="data:,"><script src="bench.js"></script>\n',
  );
  fs.cpSync(PKG, path.join(root, 'pkg'), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(REPO, 'tests/bench/page-entry.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(root, 'bench.js'),
    logLevel: 'error',
  });
  return root;
}

// Runs the native runner on `file`; resolves to { ms, summary } or { error }. Only the head of
// the output is kept: the summary comes before the (possibly large) trace.
function runNative(file, trace) {
  return new Promise((resolve) => {
    const args = ['run', file, '--max-seconds', '600'];
    if (!trace) args.push('--no-trace');
    const start = process.hrtime.bigint();
    const child = spawn(NATIVE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let head = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (head.length < 65536) head += d.toString('utf8');
    });
    child.stderr.on('data', (d) => {
      stderr += d.toString('utf8');
    });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return resolve({ ms, error: `exit ${code}: ${stderr.trim()}` });
      const m = head.match(/"summary"\s*:\s*(\{[^{}]*(?:\{[^{}]*\}[^{}]*)?\})/);
      resolve({ ms, summary: m ? JSON.parse(m[1]) : null });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const ENGINES = [
  'node:stream',
  'readable-stream (Chromium)',
  'core wasm, trace off',
  'core wasm, trace on',
  'native, trace off',
  'native, trace on',
];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const workloads = chosenWorkloads(args);
  const header = {
    when: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: os.loadavg(),
    node: process.version,
    chromium: execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    rounds: args.rounds,
    mode: args.quick
      ? 'quick (all at 1/10, the 1 ms sink at 1/100)'
      : args.full
        ? 'full'
        : 'default (1 ms sink at 1/10)',
  };
  console.log(
    `${header.cpus} CPUs (${header.cpuModel}), load average ${header.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')} ` +
      `at start; Node ${header.node}; ${header.chromium}; ${header.rounds} rounds; mode ${header.mode}`,
  );
  if (header.loadavgAtStart[0] > header.cpus * 0.5) {
    console.log('note: the machine is busy (1-minute load above half the CPUs): absolute numbers are noisy');
  }

  const root = await preparePage();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-side-by-side-scenarios-'));
  const files = new Map();
  for (const w of workloads) {
    const file = path.join(tmp, `${w.id}.json`);
    fs.writeFileSync(file, JSON.stringify(toScenario(w)));
    const tracedFile = path.join(tmp, `${w.id}.traced.json`);
    fs.writeFileSync(tracedFile, JSON.stringify(toScenario(traced(w))));
    const one = path.join(tmp, `${w.id}.1.json`);
    fs.writeFileSync(one, JSON.stringify(toScenario(scaled(w, Number.POSITIVE_INFINITY))));
    files.set(w.id, { file, tracedFile, one });
  }

  const server = await startServer(root);
  const browser = await launchBrowser();
  const results = workloads.map((w) => ({ workload: w, rounds: [], baselineMs: { trace: [], noTrace: [] } }));
  try {
    const { page, errors } = await openPage(browser, server.url);
    await page.waitForFunction(() => typeof window.sideBySide === 'object');
    // Warm-up, untimed: JIT and wasm tier-up happen here rather than in round 1.
    process.stdout.write('warm-up (each engine, each workload at 1/100)… ');
    for (const w of workloads.map((x) => scaled(x, 100))) {
      await runWorkload(nodeStream, Buffer, w, () => performance.now());
      await page.evaluate((wl) => window.sideBySide.readableStream(wl), w);
      for (const trace of [false, true]) {
        await page.evaluate(([s, t]) => window.sideBySide.core(s, t), [toScenario(w), trace]);
      }
    }
    console.log('done');
    for (let r = 0; r < args.rounds; r++) {
      for (const entry of results) {
        const w = entry.workload;
        const scenario = toScenario(w);
        const { file, tracedFile, one } = files.get(w.id);
        const tracedChunks = traced(w).chunks;
        process.stdout.write(`round ${r + 1}/${args.rounds} ${w.id} (${w.chunks} chunks): `);
        const runs = {};
        const attempt = async (engine, fn) => {
          process.stdout.write(`${engine}… `);
          try {
            runs[engine] = await fn();
          } catch (e) {
            runs[engine] = { error: String(e?.message ?? e).split('\n')[0] };
          }
        };
        await attempt('node:stream', () => runWorkload(nodeStream, Buffer, w, () => performance.now()));
        await attempt('readable-stream (Chromium)', () =>
          page.evaluate((wl) => window.sideBySide.readableStream(wl), w),
        );
        await attempt('core wasm, trace off', () =>
          page.evaluate(([s, t]) => window.sideBySide.core(s, t), [scenario, false]),
        );
        await attempt('core wasm, trace on', async () => ({
          ...(await page.evaluate(([s, t]) => window.sideBySide.core(s, t), [toScenario(traced(w)), true])),
          chunks: tracedChunks,
        }));
        for (const trace of [false, true]) {
          const engine = trace ? 'native, trace on' : 'native, trace off';
          await attempt(engine, async () => {
            const base = [];
            for (let k = 0; k < 3; k++) base.push((await runNative(one, trace)).ms);
            entry.baselineMs[trace ? 'trace' : 'noTrace'].push(...base);
            const run = await runNative(trace ? tracedFile : file, trace);
            const chunks = trace ? tracedChunks : w.chunks;
            return run.error
              ? run
              : { ...run, chunks, processMs: run.ms, baselineMs: median(base), ms: run.ms - median(base) };
          });
        }
        const { differ, known } = disagreements(w, runs);
        entry.rounds.push({ runs, disagreements: differ, knownDifferences: known });
        console.log(
          differ.length
            ? `DISAGREE: ${differ.join('; ')}`
            : known.length
              ? `agree but for the known ${known.join('; ')}`
              : 'agree',
        );
      }
    }
    header.consoleErrors = errors;
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  header.loadavgAtEnd = os.loadavg();

  // The table.
  const table = [];
  for (const entry of results) {
    const w = entry.workload;
    const ns = (engine) =>
      entry.rounds
        .map((round) => round.runs[engine])
        .filter((run) => run && !run.error)
        .map((run) => (run.ms * 1e6) / (run.chunks ?? w.chunks));
    const nodeMedian = median(ns('node:stream'));
    for (const engine of ENGINES) {
      const xs = ns(engine);
      const failed = entry.rounds.map((round) => round.runs[engine]?.error).find(Boolean);
      const chunks = entry.rounds.map((round) => round.runs[engine]?.chunks).find(Boolean) ?? w.chunks;
      const row = { workload: w.id, chunks, engine };
      if (xs.length === 0) row.error = failed ?? 'no run';
      else {
        row.medianNs = median(xs);
        row.minNs = Math.min(...xs);
        row.maxNs = Math.max(...xs);
        row.vsNode = nodeMedian / row.medianNs;
      }
      table.push(row);
    }
  }
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  console.log(
    `\n${'workload'.padEnd(16)} ${'chunks'.padStart(7)}  ${'engine'.padEnd(27)} ${'ns/chunk'.padStart(10)}  ${'min–max'.padEnd(21)} vs node:stream`,
  );
  for (const row of table) {
    const left = `${row.workload.padEnd(16)} ${String(row.chunks).padStart(7)}  ${row.engine.padEnd(27)}`;
    if (row.error) console.log(`${left} ${'—'.padStart(10)}  ${row.error}`);
    else {
      const ratio =
        row.medianNs <= 0
          ? 'under the process-start noise'
          : row.vsNode >= 1
            ? `${row.vsNode.toFixed(1)}x faster`
            : `${(1 / row.vsNode).toFixed(1)}x slower`;
      console.log(
        `${left} ${fmt(row.medianNs).padStart(10)}  ${`${fmt(row.minNs)}–${fmt(row.maxNs)}`.padEnd(21)} ${row.engine === 'node:stream' ? '1' : ratio}`,
      );
    }
  }
  const disagreeing = results.flatMap((e) => e.rounds.flatMap((round) => round.disagreements));
  console.log(
    disagreeing.length
      ? `\nengines DISAGREE on counts: ${disagreeing.length} differences (see the JSON)`
      : '\nall engines agree on the counts each reports (chunks, reads, write() false, drains, writableLength in _write)',
  );
  const known = new Set(results.flatMap((e) => e.rounds.flatMap((round) => round.knownDifferences)));
  if (known.size) console.log(`known differences (readable-stream@4 counts as Node 18 did): ${[...known].join('; ')}`);
  console.log(
    `load average at end ${header.loadavgAtEnd.map((x) => x.toFixed(2)).join(' ')}. Native: process time minus a 1-chunk run of the same workload.`,
  );
  if (header.consoleErrors?.length) console.log('page console errors:', header.consoleErrors);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const out = path.join(ARTIFACTS, 'side-by-side.json');
  fs.writeFileSync(out, `${JSON.stringify({ ...header, table, results }, null, 2)}\n`);
  console.log(`raw numbers: ${path.relative(REPO, out)}`);
}

await main();
