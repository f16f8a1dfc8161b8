#!/usr/bin/env node
// Differential test: random scenarios through real Node (the oracle) and through a runner
// (the Rust core's native runner by default), compared field by field.
//
//   node tests/node/differential.mjs [--seed S] [--count 1000] [--runner CMD] [--jobs 2]
//                                    [--out DIR] [--timeout-ms 20000] [--show 10]
//   node tests/node/differential.mjs --replay FILE_OR_DIR... [--runner CMD]
//
// The seed (default: the current UTC date and time, YYYYMMDDHHMMSS) is printed first; the
// same --seed and --count give the same scenarios (tests/node/generate.mjs). The runner CMD
// (default 'target/release/streamlab run', run from the repo root through /bin/sh) gets the
// scenario path appended and must print a result@1 JSON. The oracle runs many scenarios per
// process (oracle.cjs --batch), each batch under the Node binary its scenarios ask for.
// Compared: summary, trace (skipped when either side says "traceOmitted": true) and samples.
// For each failure it prints the scenario's path (failing scenarios are copied, with both
// results, into DIR/failures), the first differing path with both values, and the trace
// events around the first trace difference. Last line: "N passed, N failed"; exit 1 when any
// failed, 2 on a usage error.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { features, generate, writeScenarios } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const ORACLE = join(here, 'oracle.cjs');

// The Node binary for "node": 20 / 22, as the oracle itself picks it.
export const nodeBinary = createRequire(import.meta.url)('./oracle.cjs').nodeFor;

// How many of the generated scenarios exercise each feature (generate.mjs features()).
export function coverage(seed, count) {
  const counts = new Map();
  for (let i = 0; i < count; i++) for (const f of features(generate(seed, i))) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([f, n]) => `${f} ${n}`)
    .join(', ');
}

// ---- comparing two results ----------------------------------------------------------------

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// First place where `got` differs from `want`: { path, want, got } or null.
export function firstDifference(want, got, path) {
  if (Array.isArray(want) && Array.isArray(got)) {
    const n = Math.max(want.length, got.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(want[i], got[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isPlainObject(want) && isPlainObject(got)) {
    for (const k of Object.keys(want)) {
      const d = Object.hasOwn(got, k)
        ? firstDifference(want[k], got[k], `${path}.${k}`)
        : { path: `${path}.${k}`, want: want[k], got: undefined };
      if (d) return d;
    }
    for (const k of Object.keys(got)) {
      if (!Object.hasOwn(want, k)) return { path: `${path}.${k}`, want: undefined, got: got[k] };
    }
    return null;
  }
  return want === got ? null : { path, want, got };
}

// Compares the oracle's result with the runner's: null when equal, else
// { diff, traceDiff (first trace difference, if any), sections (which differ) }.
export function compareResults(want, got) {
  const sections = ['summary', 'trace', 'samples'];
  const skipTrace = want.traceOmitted === true || got.traceOmitted === true;
  const diffs = {};
  for (const sec of sections) {
    if (sec === 'trace' && skipTrace) continue;
    const d = firstDifference(want[sec], got[sec], sec);
    if (d) diffs[sec] = d;
  }
  const names = Object.keys(diffs);
  if (names.length === 0) return null;
  return { diff: diffs[names[0]], traceDiff: diffs.trace ?? null, sections: names };
}

function show(v) {
  if (v === undefined) return '(absent)';
  const t = JSON.stringify(v);
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

// The events around trace index i on both sides.
function neighbours(want, got, i, before = 4, after = 3) {
  const lines = [];
  for (const [label, trace] of [
    ['oracle', want.trace || []],
    ['runner', got.trace || []],
  ]) {
    lines.push(`    ${label} trace[${Math.max(0, i - before)}..${i + after}]:`);
    for (let j = Math.max(0, i - before); j <= i + after && j < trace.length; j++) {
      lines.push(`      ${j === i ? '>' : ' '} ${j}: ${JSON.stringify(trace[j])}`);
    }
    if (i >= trace.length) lines.push(`      > ${i}: (no event: the trace has ${trace.length})`);
  }
  return lines;
}

function describeMismatch(m, want, got) {
  const lines = [`  first difference: ${m.diff.path}: oracle ${show(m.diff.want)}, runner ${show(m.diff.got)}`];
  if (m.sections.length > 1) lines.push(`  also differ: ${m.sections.slice(1).join(', ')}`);
  if (m.traceDiff) {
    const i = Number(/^trace\[(\d+)\]/.exec(m.traceDiff.path)?.[1] ?? 0);
    if (m.traceDiff !== m.diff)
      lines.push(
        `  first trace difference: ${m.traceDiff.path}: oracle ${show(m.traceDiff.want)}, runner ${show(m.traceDiff.got)}`,
      );
    lines.push(...neighbours(want, got, i));
  }
  return lines.join('\n');
}

// ---- running processes --------------------------------------------------------------------

function run(cmd, args, { input, timeoutMs, cwd }) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out = [];
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => {
      err = (err + c).slice(-4000);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, timeoutMs)
      : null;
    child.on('error', (e) => {
      err += e.message;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ stdout: Buffer.concat(out).toString('utf8'), stderr: err, code, signal, timedOut });
    });
  });
}

async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

// Oracle results for files: Map file -> { result } | { error }.
function oracleTasks(files, jobs, results, timeoutMs) {
  const byNode = new Map();
  for (const f of files) {
    let major = 20;
    try {
      major = JSON.parse(readFileSync(f, 'utf8')).node === 22 ? 22 : 20;
    } catch {
      /* the oracle will say */
    }
    if (!byNode.has(major)) byNode.set(major, []);
    byNode.get(major).push(f);
  }
  const tasks = [];
  for (const [major, list] of byNode) {
    // Batches small enough to spread over the jobs, big enough to save start-up time.
    const size = Math.max(1, Math.min(40, Math.ceil(list.length / (jobs * 3))));
    for (let i = 0; i < list.length; i += size) {
      const batch = list.slice(i, i + size);
      tasks.push(async () => {
        const r = await run(nodeBinary(major), ['--expose-internals', ORACLE, '--batch'], {
          input: batch.join('\n'),
          timeoutMs: timeoutMs * batch.length,
          cwd: repoRoot,
        });
        const seen = new Set();
        for (const line of r.stdout.split('\n')) {
          let d;
          try {
            d = JSON.parse(line);
          } catch {
            continue;
          } // a cut last line: reported below
          seen.add(d.file);
          results.set(
            d.file,
            d.result ? { result: d.result } : { error: `oracle: ${d.refused || d.budget || d.failure}` },
          );
        }
        for (const f of batch) {
          if (!seen.has(f))
            results.set(f, {
              error: `oracle batch failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
            });
        }
      });
    }
  }
  return tasks;
}

function runnerTasks(files, runner, results, timeoutMs) {
  return files.map((f) => async () => {
    const r = await run('/bin/sh', ['-c', `${runner} "$1"`, 'differential', f], { timeoutMs, cwd: repoRoot });
    if (r.timedOut) return results.set(f, { error: `runner timed out after ${timeoutMs} ms` });
    if (r.code !== 0)
      return results.set(f, {
        error: `runner exited with ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
      });
    try {
      const got = JSON.parse(r.stdout);
      if (!isPlainObject(got)) throw new Error('not an object');
      results.set(f, { result: got });
    } catch (e) {
      results.set(f, { error: `runner printed no result JSON (${e.message.slice(0, 80)})` });
    }
  });
}

// ---- command line -------------------------------------------------------------------------

function dateSeed() {
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}

function parseArgs(argv) {
  const o = {
    seed: null,
    count: 1000,
    runner: 'target/release/streamlab run',
    jobs: 2,
    out: null,
    timeoutMs: 20000,
    replay: [],
    show: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--seed') o.seed = v();
    else if (a === '--count') o.count = Number(v());
    else if (a === '--runner') o.runner = v();
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--timeout-ms') o.timeoutMs = Number(v());
    else if (a === '--show') o.show = Number(v());
    else if (a === '--replay') {
      o.replay.push(v());
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) o.replay.push(argv[++i]);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.count) || o.count < 0) throw new Error('--count must be a whole number');
  if (!Number.isInteger(o.jobs) || o.jobs < 1) o.jobs = availableParallelism();
  if (!(o.timeoutMs > 0)) throw new Error('--timeout-ms must be positive');
  return o;
}

function scenarioFiles(paths) {
  const files = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (statSync(abs).isDirectory()) {
      for (const n of readdirSync(abs).sort()) {
        if (n.endsWith('.json') && !/\.(expected|oracle|runner)\.json$/.test(n)) files.push(join(abs, n));
      }
    } else files.push(abs);
  }
  return files;
}

export async function main(argv, log = console.log) {
  const o = parseArgs(argv);
  const program = o.runner.trim().split(/\s+/)[0];
  if (program.includes('/') && !existsSync(resolve(repoRoot, program))) {
    throw new Error(`no runner at ${program} (build it: cargo build --release -p streamlab, or pass --runner)`);
  }
  const started = Date.now();
  let files;
  let outDir;
  if (o.replay.length > 0) {
    files = scenarioFiles(o.replay);
    outDir = resolve(o.out ?? join(tmpdir(), `streamlab-replay-${process.pid}`));
    log(`replay: ${files.length} scenario(s)`);
  } else {
    o.seed ??= dateSeed();
    outDir = resolve(o.out ?? join(tmpdir(), `streamlab-diff-${o.seed}`));
    log(`seed ${o.seed} (replay with: node tests/node/differential.mjs --seed ${o.seed} --count ${o.count})`);
    files = writeScenarios(o.seed, o.count, join(outDir, 'scenarios'));
    log(`coverage: ${coverage(o.seed, o.count)}`);
  }
  const failDir = join(outDir, 'failures');
  log(`runner: ${o.runner}; failing scenarios go to ${failDir}`);

  const want = new Map();
  const got = new Map();
  // Oracle batches first (they are longer), then one runner process per scenario.
  await pool(
    [...oracleTasks(files, o.jobs, want, o.timeoutMs), ...runnerTasks(files, o.runner, got, o.timeoutMs)],
    o.jobs,
  );

  let passed = 0;
  let failed = 0;
  for (const f of files) {
    const w = want.get(f);
    const g = got.get(f);
    let report = null;
    if (w.error && g.error && /refused/.test(w.error))
      report = null; // both refuse it: fine
    else if (w.error) report = `  ${w.error}`;
    else if (g.error) report = `  ${g.error}`;
    else {
      const m = compareResults(w.result, g.result);
      if (m) report = describeMismatch(m, w.result, g.result);
    }
    if (report === null) {
      passed++;
      continue;
    }
    failed++;
    mkdirSync(failDir, { recursive: true });
    const name = basename(f, '.json');
    const kept = join(failDir, `${name}.json`);
    if (resolve(f) !== kept) copyFileSync(f, kept);
    if (w.result) writeFileSync(join(failDir, `${name}.oracle.json`), `${JSON.stringify(w.result)}\n`);
    if (g.result) writeFileSync(join(failDir, `${name}.runner.json`), `${JSON.stringify(g.result)}\n`);
    if (failed <= o.show) log(`FAIL ${name}: ${kept}\n${report}`);
  }
  if (failed > o.show) log(`(${failed - o.show} more failures not shown; all are in ${failDir})`);
  // A clean run leaves nothing behind; a failing one keeps its scenarios and both results.
  if (failed === 0 && o.replay.length === 0) rmSync(join(outDir, 'scenarios'), { recursive: true, force: true });
  if (failed === 0 && existsSync(outDir) && readdirSync(outDir).length === 0)
    rmSync(outDir, { recursive: true, force: true });
  log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s for ${files.length} scenarios, ${o.jobs} jobs`);
  log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`differential: ${e.message}`);
      process.exitCode = 2;
    },
  );
}
