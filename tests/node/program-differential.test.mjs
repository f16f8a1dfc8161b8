// The code lab against real Node 20: every program in tests/programs/ (and seeded random
// event-loop programs) runs under streamlab-exec and under Node with the same virtual clock
// (program-oracle.mjs); stdout, stderr and the exit code must agree as program-compare.mjs
// defines it (stack frames and stderr's caret line left out). Hostile programs in
// tests/programs/hostile/ state their expected exit code and message in their first line.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { difference } from './program-compare.mjs';
import { runNode } from './program-oracle.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROGRAMS = join(ROOT, 'tests/programs');
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is (nothing is built).
if (!process.env.STREAMLAB_EXEC) {
  execFileSync('cargo', ['build', '-q', '-p', 'streamlab-js', '--bin', 'streamlab-exec'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const EXEC = process.env.STREAMLAB_EXEC || join(ROOT, 'target/debug/streamlab-exec');

function runOurs(file) {
  const r = spawnSync(EXEC, [file], { encoding: 'utf8', timeout: 400000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}
function compare(file) {
  const diff = difference(runOurs(file), runNode(file), file);
  assert.equal(diff, null, diff ?? '');
}

for (const name of readdirSync(PROGRAMS).filter((n) => /\.(mjs|cjs)$/.test(n))) {
  test(`program ${name} runs as in Node 20`, () => compare(join(PROGRAMS, name)));
}

for (const name of readdirSync(join(PROGRAMS, 'hostile'))) {
  test(`hostile program ${name} ends with its named limit or refusal`, () => {
    const file = join(PROGRAMS, 'hostile', name);
    const [, code, pattern] = readFileSync(file, 'utf8').match(/^\/\/ expect exit (\d+): \/(.*)\/$/m);
    const t0 = Date.now();
    const ours = runOurs(file);
    assert.equal(ours.code, Number(code), ours.stderr);
    assert.match(ours.stderr, new RegExp(pattern));
    // Generous: the machine may be busy; a hang would hit runOurs' timeout first.
    assert.ok(Date.now() - t0 < 300000, 'ends within five minutes');
  });
}

// Random event-loop programs: nested timers, immediates, ticks, promises and microtasks.
function generate(seed, isModule) {
  let s = seed >>> 0;
  const rand = (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
  let label = 0;
  const block = (depth) => {
    const lines = [];
    const count = 1 + rand(4);
    for (let i = 0; i < count; i++) {
      const name = `n${label++}`;
      const body = depth < 3 && rand(2) ? block(depth + 1) : '';
      const inner = `console.log("${name}", performance.now());${body}`;
      switch (rand(8)) {
        case 0:
          lines.push(`setTimeout(() => { ${inner} }, ${[0, 1, 2, 5, 10][rand(5)]});`);
          break;
        case 1:
          lines.push(`setImmediate(() => { ${inner} });`);
          break;
        case 2:
          lines.push(`process.nextTick(() => { ${inner} });`);
          break;
        case 3:
          lines.push(`Promise.resolve().then(() => { ${inner} });`);
          break;
        case 4:
          lines.push(`queueMicrotask(() => { ${inner} });`);
          break;
        case 5:
          lines.push(
            `(async () => { await null; ${inner} await new Promise((r) => setTimeout(r, ${rand(3)})); console.log("${name} resumed", performance.now()); })();`,
          );
          break;
        case 6:
          lines.push(
            `emitter.once("e${depth}", () => { ${inner} }); setTimeout(() => emitter.emit("e${depth}"), ${rand(4)});`,
          );
          break;
        default:
          lines.push(
            `{ let k = 0; const iv = setInterval(() => { ${inner} if (++k === 2) clearInterval(iv); }, ${1 + rand(4)}); }`,
          );
      }
    }
    return lines.join('\n');
  };
  const events = isModule
    ? `import { EventEmitter } from "node:events";`
    : `const { EventEmitter } = require("events");`;
  return `${events}\nconst emitter = new EventEmitter();\n${block(0)}\nconsole.log("main done");\n`;
}

const SEED = Number(process.env.STREAMLAB_SEED ?? 20261130);
const dir = mkdtempSync(join(tmpdir(), 'streamlab-programs-'));
for (let i = 0; i < 24; i++) {
  const seed = SEED + i;
  test(`random event-loop program (seed ${seed}) runs as in Node 20`, () => {
    const ext = i % 2 ? 'mjs' : 'cjs';
    const file = join(dir, `random-${seed}.${ext}`);
    writeFileSync(file, generate(seed, ext === 'mjs'));
    compare(file);
  });
}
