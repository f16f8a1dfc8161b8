// Node.js stream programs in the code lab against real Node: every program of the stream
// corpus (tests/programs/streams/, see its README, and tests/programs/stream-*) and
// STREAMLAB_PROGRAMS (default 300) programs from program-generate.mjs run under streamlab-exec
// and under Node 20 on the virtual clock (program-oracle.mjs), and must agree as
// program-compare.mjs defines it: stdout, stderr and the exit code, then the streams' trace
// (streamlab-exec --trace-out against program-trace.cjs's record of Node; traceDifference).
// The corpus and the first STREAMLAB_PROGRAMS_NODE22 (default 100) generated programs run again
// under Node 22 against `streamlab-exec --node 22`.
// Generated seeds: STREAMLAB_SEED (or the UTC date as YYYYMMDD) × 1000 + 0, 1, 2, …; the seed is
// printed, and `node tests/node/program-generate.mjs SEED` prints one program again.
// A failure keeps the program, both outputs and both traces in tests/artifacts/programs/NAME/
// (NAME-node22/ under Node 22) and names it.
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is; otherwise it is built here.
// Two programs run at a time (each: Node, then streamlab-exec); each program is its own test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { difference, explainDifference, runAsync, traceDifference } from './program-compare.mjs';
import { generate } from './program-generate.mjs';
import { NODE22, runNodeAsync } from './program-oracle.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = join(ROOT, 'tests/programs/streams');
const ARTIFACTS = join(ROOT, 'tests/artifacts/programs');

if (!process.env.STREAMLAB_EXEC) {
  execFileSync('cargo', ['build', '-q', '-p', 'streamlab-js', '--bin', 'streamlab-exec'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const EXEC = process.env.STREAMLAB_EXEC || join(ROOT, 'target/debug/streamlab-exec');

function wholeNumber(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const SEED = wholeNumber('STREAMLAB_SEED', Number(today));
const COUNT = wholeNumber('STREAMLAB_PROGRAMS', 300);
// The first of the generated programs that run under Node 22 too.
const COUNT22 = Math.min(COUNT, wholeNumber('STREAMLAB_PROGRAMS_NODE22', 100));
console.log(
  `stream programs: seed ${SEED} (STREAMLAB_SEED), ${COUNT} generated, ${COUNT22} of them under Node 22 too, streamlab-exec ${EXEC}`,
);

rmSync(ARTIFACTS, { recursive: true, force: true });
const generatedDir = mkdtempSync(join(tmpdir(), 'streamlab-stream-programs-'));
const traceDir = mkdtempSync(join(tmpdir(), 'streamlab-stream-traces-'));
after(() => {
  rmSync(generatedDir, { recursive: true, force: true });
  rmSync(traceDir, { recursive: true, force: true });
});

// Runs `job`s at most `size` at a time, in the order they were given.
function limiter(size) {
  let running = 0;
  const waiting = [];
  const next = () => {
    if (running >= size || waiting.length === 0) return;
    running++;
    const { job, resolve } = waiting.shift();
    const done = () => {
      running--;
      next();
    };
    job().then(
      (value) => {
        done();
        resolve(value);
      },
      (err) => {
        done();
        resolve({ error: err });
      },
    );
  };
  return (job) =>
    new Promise((resolve) => {
      waiting.push({ job, resolve });
      next();
    });
}

// Both runs of one program, each writing its trace; started for every program at once (two at
// a time), so that each test only waits for its own program and no test's timeout covers the
// whole run. `node`: 20 or 22.
async function runBoth(p, node) {
  const base = join(traceDir, `${p.name}-node${node}`);
  const traces = { node: `${base}.node.json`, streamlab: `${base}.streamlab.json` };
  const nodeRun = await runNodeAsync(p.file, { traceOut: traces.node, node: node === 22 ? NODE22 : undefined });
  const args = [p.file, '--trace-out', traces.streamlab, ...(node === 22 ? ['--node', '22'] : [])];
  const ours = await runAsync(EXEC, args, { timeout: 120000 });
  // The corpus under Node 20 runs once more without program-trace.cjs: recording must not
  // change what Node prints.
  const plain = p.corpus && node === 20 ? await runNodeAsync(p.file) : null;
  return { node: nodeRun, ours, traces, plain };
}

function readTrace(file, who) {
  if (!existsSync(file)) return { error: `${who} wrote no trace` };
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { error: `${who}'s trace is not JSON: ${e.message}` };
  }
}

// The difference between the two runs of a program (outputs first, then traces), or null.
function runDifference(p, { node, ours, traces }) {
  const diff = explainDifference(ours, node, p.file);
  if (diff !== null) return diff;
  const theirs = readTrace(traces.node, 'Node');
  const mine = readTrace(traces.streamlab, 'streamlab-exec');
  if (theirs.error || mine.error) return theirs.error ?? mine.error;
  return traceDifference(mine, theirs);
}

// Programs that differ on purpose, by "NAME@NODE", with why. Each still runs: its test fails
// when the difference is gone (the entry is then no longer needed), or when it names no program.
// None today: add one only for a difference that cannot be fixed yet, and report it.
const KNOWN_DIFFERENCES = {};

function verdict(p, node, run) {
  if (run.error) throw run.error;
  const hooked = run.plain ? difference(run.node, run.plain, p.file) : null;
  assert.equal(hooked, null, `${p.name}: program-trace.cjs changed Node's output: ${hooked}`);
  const diff = runDifference(p, run);
  const known = KNOWN_DIFFERENCES[`${p.name}@${node}`];
  if (known !== undefined) {
    assert.notEqual(diff, null, `${p.name} under Node ${node} now agrees: remove it from KNOWN_DIFFERENCES (${known})`);
    return;
  }
  if (diff === null) return;
  const dir = join(ARTIFACTS, p.name.replace(/\.(mjs|cjs)$/, '') + (node === 22 ? '-node22' : ''));
  mkdirSync(dir, { recursive: true });
  copyFileSync(p.file, join(dir, p.name));
  for (const [who, out] of [
    ['node', run.node],
    ['streamlab', run.ours],
  ]) {
    writeFileSync(join(dir, `${who}.stdout`), out.stdout);
    writeFileSync(join(dir, `${who}.stderr`), out.stderr);
    writeFileSync(join(dir, `${who}.code`), `${out.code}\n`);
    if (existsSync(run.traces[who])) copyFileSync(run.traces[who], join(dir, `${who}.trace.json`));
  }
  assert.fail(`${p.name} under Node ${node}: ${diff}\n(program, both outputs and both traces in ${dir})`);
}

// The corpus, and the programs the page's lessons run (www/lessons/*.mjs: the lesson's own
// Experiment code, verbatim).
const programsIn = (dir) =>
  readdirSync(dir)
    .filter((n) => /\.(mjs|cjs)$/.test(n))
    .map((name) => ({ title: `corpus ${name}`, name, file: join(dir, name), corpus: true }));
const programs = [...programsIn(CORPUS), ...programsIn(join(ROOT, 'www/lessons'))];
for (const name of readdirSync(join(ROOT, 'tests/programs')).filter((n) => /^stream-.*\.(mjs|cjs)$/.test(n))) {
  programs.push({ title: `program ${name}`, name, file: join(ROOT, 'tests/programs', name), corpus: true });
}
const corpus = [...programs];
test('traceDifference names the first differing event and accepts only a prefix cut at a cap', () => {
  const ev = (t, ev, stream) => ({ t, ev, stream });
  const node = { trace: [ev(0, 'end', 'A 1'), ev(1, 'finish', 'B 2'), ev(2, 'close', 'B 2')], truncated: false };
  const same = {
    trace: [ev(0, 'end', 'A 1'), ev(0, 'drain', 'process.stdout'), ev(1, 'finish', 'B 2'), ev(2, 'close', 'B 2')],
  };
  assert.equal(traceDifference(same, node), null, 'equal once process.stdout is left out');
  const other = { trace: [ev(0, 'end', 'A 1'), ev(1, 'close', 'B 2'), ev(2, 'close', 'B 2')] };
  assert.match(traceDifference(other, node), /^trace event 2 .*\nNode:\n[\s\S]*> 2: .*"finish"[\s\S]*> 2: .*"close"/);
  const short = { trace: node.trace.slice(0, 2) };
  assert.match(traceDifference(short, node), /trace event 3 /, 'a missing event differs');
  assert.equal(traceDifference({ ...short, traceTruncated: true }, node), null, 'a prefix cut at the cap agrees');
  assert.match(traceDifference({ ...other, traceTruncated: true }, node), /trace event 2 /);
});
test('the stream corpus is there', () => {
  assert.ok(programs.length >= 40, `tests/programs/streams/ has its programs (found ${programs.length})`);
});
for (let i = 0; i < COUNT; i++) {
  const seed = SEED * 1000 + i;
  const name = `generated-${seed}.mjs`;
  const file = join(generatedDir, name);
  writeFileSync(file, generate(seed));
  programs.push({ title: `generated program, seed ${seed}`, name, file });
}
const runs = [
  ...programs.map((p) => [p, 20]),
  ...corpus.map((p) => [p, 22]),
  ...programs.slice(corpus.length, corpus.length + COUNT22).map((p) => [p, 22]),
];
test('every known difference names a program of the run', () => {
  const names = new Set(runs.map(([p, node]) => `${p.name}@${node}`));
  for (const key of Object.keys(KNOWN_DIFFERENCES)) assert.ok(names.has(key), `KNOWN_DIFFERENCES: no program ${key}`);
});
const schedule = limiter(2);
for (const [p, node] of runs) {
  const result = schedule(() => runBoth(p, node));
  test(`${p.title} runs as in Node ${node}`, async () => verdict(p, node, await result));
}
