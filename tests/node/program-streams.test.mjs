// Node.js stream programs in the code lab against real Node 20: every program of the stream
// corpus (tests/programs/streams/, see its README) and STREAMLAB_PROGRAMS (default 300)
// programs from program-generate.mjs run under streamlab-exec and under Node on the virtual
// clock (program-oracle.mjs), and must agree as program-compare.mjs defines it.
// Generated seeds: STREAMLAB_SEED (or the UTC date as YYYYMMDD) × 1000 + 0, 1, 2, …; the seed is
// printed, and `node tests/node/program-generate.mjs SEED` prints one program again.
// A failure keeps the program and both outputs in tests/artifacts/programs/NAME/ and names it.
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is; otherwise it is built here.
// Two programs run at a time (each: Node, then streamlab-exec).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { difference, runAsync } from './program-compare.mjs';
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

function positiveInteger(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const SEED = positiveInteger('STREAMLAB_SEED', Number(today));
const COUNT = positiveInteger('STREAMLAB_PROGRAMS', 300);
console.log(`stream programs: seed ${SEED} (STREAMLAB_SEED), ${COUNT} generated, streamlab-exec ${EXEC}`);

rmSync(ARTIFACTS, { recursive: true, force: true });
const generatedDir = mkdtempSync(join(tmpdir(), 'streamlab-stream-programs-'));

async function check(name, file) {
  const node = await runNodeAsync(file);
  const ours = await runAsync(EXEC, [file], { timeout: 120000 });
  const diff = difference(ours, node, file);
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

describe('stream programs run as in Node 20', { concurrency: 2 }, () => {
  const corpus = readdirSync(CORPUS).filter((n) => /\.(mjs|cjs)$/.test(n));
  assert.ok(corpus.length >= 40, `the corpus has its programs (found ${corpus.length})`);
  for (const name of corpus) {
    it(`corpus ${name}`, () => check(name, join(CORPUS, name)));
  }
  for (let i = 0; i < COUNT; i++) {
    const seed = SEED * 1000 + i;
    it(`generated program, seed ${seed}`, () => {
      const name = `generated-${seed}.mjs`;
      const file = join(generatedDir, name);
      writeFileSync(file, generate(seed));
      return check(name, file);
    });
  }
});
