// Broken programs never break the code lab: the stream corpus' programs, mangled at random
// (a slice cut, a line repeated or swapped, a number made absurd, a stray token or statement
// put in), run under streamlab-exec. Each run must end by itself with one of the exit codes a
// program can get (0 finished, 1 uncaught error, 2 syntax error or unsupported module, 3 a
// limit, 7 its own process.exit(7), 13 an unsettled top-level await): never a panic, an
// internal error (70), a signal or a hang. Endless loops and huge strings are left to
// tests/programs/hostile/ (with their exact messages): in a debug build a loop run to the
// iteration limit takes long enough to crowd this test out of its time. Seeded by the date
// (STREAMLAB_SEED to repeat a day); STREAMLAB_MANGLED programs (default 100). A failure keeps
// the program in tests/artifacts/mangled/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEED = Number(process.env.STREAMLAB_SEED ?? new Date().toISOString().slice(0, 10).replaceAll('-', ''));
const COUNT = Number(process.env.STREAMLAB_MANGLED ?? 100);
// A program that runs on (an absurd chunk count) is stopped by the seconds limit; one that has
// not ended a minute later hangs, and fails the test.
const MAX_SECONDS = '2';
const HANG_MS = 60000;
const OUT = join(ROOT, 'tests/artifacts/mangled');
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is.
if (!process.env.STREAMLAB_EXEC) {
  execFileSync('cargo', ['build', '-q', '-p', 'streamlab-js', '--bin', 'streamlab-exec'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const EXEC = process.env.STREAMLAB_EXEC || join(ROOT, 'target/debug/streamlab-exec');
const EXITS = new Set([0, 1, 2, 3, 7, 13]);

// mulberry32: a small seeded generator, so a day's programs are the same on every run.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const STRAY = [
  '}',
  '(',
  '{',
  'await ',
  'null',
  'this.push(null);',
  'callback(); callback();',
  'throw new Error("stray");',
  '"\\u0000"',
  'process.exit(7);',
  'setInterval(() => {}, 0);',
  'queueMicrotask(() => { throw 1; });',
  'Promise.reject(new Error("nobody catches me"));',
  'function f() { return f(); } f();',
  'import("node:fs");',
];
const ABSURD = ['0', '-1', '1e308', 'NaN', '2 ** 53', '0.5', '-0', '1e9'];

function mangle(text, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const lines = text.split('\n');
  const at = Math.floor(rnd() * lines.length);
  switch (Math.floor(rnd() * 5)) {
    case 0: {
      const from = Math.floor(rnd() * text.length);
      return text.slice(0, from) + text.slice(from + 1 + Math.floor(rnd() * 40));
    }
    case 1:
      lines.splice(at, 0, lines[at]);
      return lines.join('\n');
    case 2: {
      const other = Math.floor(rnd() * lines.length);
      [lines[at], lines[other]] = [lines[other], lines[at]];
      return lines.join('\n');
    }
    case 3: {
      const numbers = [...text.matchAll(/\b\d+\b/g)];
      if (!numbers.length) return text;
      const m = pick(numbers);
      return text.slice(0, m.index) + pick(ABSURD) + text.slice(m.index + m[0].length);
    }
    default:
      lines.splice(at, 0, pick(STRAY));
      return lines.join('\n');
  }
}

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(EXEC, [file, '--no-trace', '--max-seconds', MAX_SECONDS], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const hang = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < 20000) stderr += d;
    });
    child.on('close', (code, signal) => {
      clearTimeout(hang);
      resolve({ code, signal, stderr });
    });
  });
}

const sources = [join(ROOT, 'tests/programs/streams'), join(ROOT, 'www/lessons')].flatMap((dir) =>
  readdirSync(dir)
    .filter((n) => /\.(mjs|cjs)$/.test(n))
    .map((n) => ({ name: n, text: readFileSync(join(dir, n), 'utf8') })),
);

test(`${COUNT} mangled stream programs (seed ${SEED}) each end with a program's exit code`, {
  timeout: 900000,
}, async () => {
  assert.ok(sources.length >= 40, `the corpus is there (${sources.length} programs)`);
  mkdirSync(OUT, { recursive: true });
  const rnd = random(SEED);
  const programs = Array.from({ length: COUNT }, (_, i) => {
    const src = sources[Math.floor(rnd() * sources.length)];
    let text = src.text;
    const edits = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < edits; k++) text = mangle(text, rnd);
    const ext = src.name.endsWith('.cjs') ? 'cjs' : 'mjs';
    const file = join(OUT, `mangled-${SEED}-${i}.${ext}`);
    writeFileSync(file, text);
    return { file, from: src.name };
  });
  const bad = [];
  const seen = new Map();
  let next = 0;
  const worker = async () => {
    while (next < programs.length) {
      const p = programs[next++];
      const r = await run(p.file);
      seen.set(r.code, (seen.get(r.code) ?? 0) + 1);
      if (!EXITS.has(r.code) || r.signal || /panicked|internal error/i.test(r.stderr)) {
        bad.push(
          `${p.file} (from ${p.from}): exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}\n${r.stderr.slice(0, 600)}`,
        );
      }
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(`# exit codes: ${[...seen].map(([c, n]) => `${c}: ${n}`).join(', ')}`);
  if (bad.length) assert.fail(`${bad.length} of ${COUNT} ended wrongly (kept in ${OUT}):\n${bad.join('\n\n')}`);
  // A run that found nothing wrong leaves nothing behind.
  for (const p of programs) rmSync(p.file);
});
