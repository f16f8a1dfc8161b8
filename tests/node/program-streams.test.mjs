// Node.js stream programs in the code lab against real Node 20: every program of the stream
// corpus (tests/programs/streams/, see its README) and STREAMLAB_PROGRAMS (default 300)
// programs from program-generate.mjs run under streamlab-exec and under Node on the virtual
// clock (program-oracle.mjs), and must agree as program-compare.mjs defines it.
// Generated seeds: STREAMLAB_SEED (or the UTC date as YYYYMMDD) × 1000 + 0, 1, 2, …; the seed is
// printed, and `node tests/node/program-generate.mjs SEED` prints one program again.
// A failure keeps the program and both outputs in tests/artifacts/programs/NAME/ and names it.
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is; otherwise it is built here.
// Two programs run at a time (each: Node, then streamlab-exec); each program is its own test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { explainDifference, runAsync } from './program-compare.mjs';
import { generate } from './program-generate.mjs';
import { runNodeAsync } from './program-oracle.mjs';

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
console.log(`stream programs: seed ${SEED} (STREAMLAB_SEED), ${COUNT} generated, streamlab-exec ${EXEC}`);

rmSync(ARTIFACTS, { recursive: true, force: true });
const generatedDir = mkdtempSync(join(tmpdir(), 'streamlab-stream-programs-'));
after(() => rmSync(generatedDir, { recursive: true, force: true }));

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

// Both runs of one program; started for every program at once (two at a time), so that
// each test only waits for its own program and no test's timeout covers the whole run.
async function runBoth(file) {
  const node = await runNodeAsync(file);
  const ours = await runAsync(EXEC, [file], { timeout: 120000 });
  return { node, ours };
}

function verdict(name, file, { node, ours, error }) {
  if (error) throw error;
  const diff = explainDifference(ours, node, file);
  if (diff === null) return;
  const dir = join(ARTIFACTS, name.replace(/\.(mjs|cjs)$/, ''));
  mkdirSync(dir, { recursive: true });
  copyFileSync(file, join(dir, name));
  for (const [who, run] of [
    ['node', node],
    ['streamlab', ours],
  ]) {
    writeFileSync(join(dir, `${who}.stdout`), run.stdout);
    writeFileSync(join(dir, `${who}.stderr`), run.stderr);
    writeFileSync(join(dir, `${who}.code`), `${run.code}\n`);
  }
  assert.fail(`${name}: ${diff} (program and both outputs in ${dir})`);
}

// The corpus, and the programs the page's lessons run (www/lessons/*.mjs: the lesson's own
// Experiment code, verbatim).
const LESSONS = join(ROOT, 'www/lessons');
const programsIn = (dir) =>
  readdirSync(dir)
    .filter((n) => /\.(mjs|cjs)$/.test(n))
    .map((name) => ({ title: `corpus ${name}`, name, file: join(dir, name) }));
const programs = [...programsIn(CORPUS), ...programsIn(LESSONS)];
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
const schedule = limiter(2);
for (const p of programs) {
  const result = schedule(() => runBoth(p.file));
  test(`${p.title} runs as in Node 20`, async () => verdict(p.name, p.file, await result));
}
