// The Code view's programs (www/code/generate.js) are the experiments they stand for: each
// lesson scenario's program, run by real Node 20, prints the numbers the native runner's
// summary gives for the scenario itself; chunk texts survive the trip into a JavaScript literal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { programFor, chunkExpression } from '../../www/code/generate.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = path.join(REPO, 'target/release/streamlab');

function runNode(source, args = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-gen-'));
  try {
    const file = path.join(dir, 'experiment.mjs');
    fs.writeFileSync(file, source);
    return spawnSync(process.execPath, [...args, file], { encoding: 'utf8', timeout: 60000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function summaryOf(scenario) {
  assert.ok(fs.existsSync(RUNNER), `${RUNNER} is missing: run ./build.sh build`);
  const out = spawnSync(RUNNER, ['run', '-', '--no-trace'], { input: JSON.stringify(scenario), encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout).summary;
}

// "label: 12" lines of a program's output, by label.
function printed(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s*([^:]+):\s+(-?\d+)/.exec(line);
    if (m) out[m[1].trim()] = Number(m[2]);
  }
  return out;
}

const scenarios = fs
  .readdirSync(path.join(REPO, 'www/scenarios'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(REPO, 'www/scenarios', f), 'utf8')));

// The lesson's 10 GiB run would take minutes of real time under Node's real clock (163,840
// one-millisecond writes): its program is only checked to parse.
const TOO_LONG = new Set(['key-insight-10gib']);

// Variants without timers, where Node's order cannot depend on real time: transforms, pipe(),
// a failing write, object mode.
const base = scenarios.find((s) => s.name === 'seeing-backpressure');
const variants = [
  { ...base, name: 'v-transforms', sink: { highWaterMark: 32 }, transforms: [{ highWaterMark: 8 }, {}] },
  { ...base, name: 'v-pipe', connect: 'pipe', sink: { highWaterMark: 16 } },
  { ...base, name: 'v-fail', sink: { highWaterMark: 16, failAt: 3 } },
  {
    ...base,
    name: 'v-objects',
    source: { chunks: 12, chunk: { object: 5 }, objectMode: true, highWaterMark: 2 },
    sink: { objectMode: true, highWaterMark: 3 },
  },
];

for (const scenario of [...scenarios, ...variants]) {
  test(`${scenario.name}: the program prints what the core's summary says`, () => {
    const source = programFor(scenario);
    if (TOO_LONG.has(scenario.name)) {
      const check = runNode(source, ['--check']);
      assert.equal(check.status, 0, check.stderr);
      return;
    }
    const run = runNode(source);
    assert.equal(run.status, 0, run.stderr);
    const got = printed(run.stdout);
    const sum = summaryOf(scenario);
    if (scenario.connect === 'write-loop') {
      assert.equal(got['Items written'], scenario.writeLoop.items);
      assert.equal(got['Backpressure pauses'], sum.backpressurePauses);
      assert.equal(got['Max buffered'], sum.maxWritableLengthInWrite);
      assert.equal(got['Drain events'], sum.drainEvents);
      return;
    }
    if (sum.error) {
      // The failure is reported as Node reports it (pipeline's rejection, or the stream's error).
      assert.match(run.stdout, new RegExp(`(pipeline failed|error): ${sum.error.code}`));
      if (scenario.connect !== 'pipeline') return;
    }
    assert.equal(got['Total chunks produced'], sum.produced);
    assert.equal(got['Times _read() was called'], sum.readCalls);
    assert.equal(got['Total chunks consumed'], sum.consumed);
    assert.equal(got['Drain events'], sum.drainEvents);
    assert.equal(got['Max buffered when a write began'], sum.maxWritableLengthInWrite);
  });
}

test('chunk texts become literals that hold exactly the scenario text, {n} and {i} filled in', () => {
  const texts = [
    'plain',
    'a`b$' + '{c}\\d',
    '"q" \'s\' \u2028\u2029\n\t\0',
    '{n}{i}{{n}}{i{n}}{n{i}}',
    '€ 😀 {n}\r\n',
    '',
  ];
  for (const text of texts) {
    const expr = chunkExpression({ text }, 'n');
    for (const n of [1, 7]) {
      const got = new Function('n', `return ${expr};`)(n);
      const want = text.replace(/\{([ni])\}/g, (_, k) => String(k === 'n' ? n : n - 1));
      assert.equal(got, want, `${JSON.stringify(text)} as ${expr}`);
    }
  }
  assert.equal(chunkExpression({ bytes: 3 }, 'n'), 'Buffer.alloc(3, 0x41)');
  assert.equal(chunkExpression({ object: 4 }, 'n'), '{ id: n, data: "x".repeat(4) }');
});

test('a value that is not a number never becomes code', () => {
  const bad = structuredClone(base);
  bad.source.highWaterMark = '1); process.exit(9); (';
  bad.sink.delayMs = '0); globalThis.pwned = 1; (';
  const source = programFor(bad);
  assert.doesNotMatch(source, /process\.exit|pwned/);
  assert.match(source, /undefined \/\* not a number \*\//);
});
