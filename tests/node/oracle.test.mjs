// node --test tests/node/: the oracle against real Node's expected results, the generator and
// the differential driver. Needs Node 20 to run it and the Node 22 binary in tests/node22
// (./build.sh install-test) for the "node": 22 scenario.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { features, generate, writeScenarios } from './generate.mjs';
import { compareResults, main as differential, nodeBinary } from './differential.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const ORACLE = join(here, 'oracle.cjs');
const NODE20 = nodeBinary(20);

function oracle(args, input) {
  return spawnSync(NODE20, ['--expose-internals', ORACLE, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: repoRoot,
  });
}

// Every public scenario: the oracle's result equals what real Node gave. A missing folder
// fails the one test below and takes no other test down with it.
const scenarioDir = join(repoRoot, 'tests', 'scenarios');
function listScenarios() {
  try {
    return readdirSync(scenarioDir)
      .filter((n) => n.endsWith('.json') && !n.endsWith('.expected.json'))
      .sort();
  } catch (e) {
    return { error: `tests/scenarios: cannot read ${scenarioDir}: ${e.code || e.message}` };
  }
}
const listed = listScenarios();
const publicScenarios = Array.isArray(listed) ? listed : [];

test('tests/scenarios holds the public scenarios', () => {
  assert.ok(Array.isArray(listed), listed.error);
  assert.ok(publicScenarios.length >= 13, `only ${publicScenarios.length} scenarios in ${scenarioDir}`);
});

for (const name of publicScenarios) {
  test(`oracle equals real Node: ${name}`, () => {
    const file = join(scenarioDir, name);
    const r = oracle([file]);
    assert.equal(r.status, 0, r.stderr);
    const expected = JSON.parse(readFileSync(file.replace(/\.json$/, '.expected.json'), 'utf8'));
    const got = JSON.parse(r.stdout);
    // A trace that the expected file omits is not compared (SCENARIO.md "Conformance").
    const m = compareResults(expected, got);
    assert.equal(
      m,
      null,
      m && `${m.diff.path}: expected ${JSON.stringify(m.diff.want)}, got ${JSON.stringify(m.diff.got)}`,
    );
  });
}

test('--no-trace keeps summary and samples', () => {
  const file = join(scenarioDir, 'seeing-backpressure.json');
  const full = JSON.parse(oracle([file]).stdout);
  const r = oracle(['--no-trace', file]);
  assert.equal(r.status, 0, r.stderr);
  const short = JSON.parse(r.stdout);
  assert.equal(short.traceOmitted, true);
  assert.deepEqual(short.trace, []);
  assert.deepEqual(short.summary, full.summary);
  assert.deepEqual(short.samples, full.samples);
});

test('ill-formed scenarios are refused with the field named (exit 2)', () => {
  const good = {
    schema: 'streamlab/scenario@1',
    name: 'x',
    connect: 'pipeline',
    source: { chunks: 2, chunk: { text: 'a' } },
    sink: { delayMs: 1 },
  };
  const cases = [
    [{ ...good, extra: 1 }, 'scenario.extra'],
    [{ ...good, source: { chunks: -1, chunk: { text: 'a' } } }, 'source.chunks'],
    [{ ...good, source: { chunks: 2, chunk: { object: 3 } } }, 'source.chunk.object'],
    [{ ...good, transforms: [{ delayMs: 1, throttleBytesPerSec: 5 }] }, 'transforms[0].throttleBytesPerSec'],
    [{ ...good, node: '22' }, 'node'],
    [{ ...good, sink: { delayMs: -1 } }, 'sink.delayMs'],
    [{ ...good, connect: 'write-loop' }, 'source'],
  ];
  for (const [scenario, field] of cases) {
    const r = oracle(['-'], JSON.stringify(scenario));
    assert.equal(r.status, 2, `${field}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(field.replace(/[[\].]/g, '\\$&')));
  }
});

// SCENARIO.md "Defaults and limits": absent and null are not the same; null is refused where
// the contract gives it no meaning, and a write loop takes no source or transforms at all.
test('missing and null fields the contract does not allow are refused by name (exit 2)', () => {
  const pipeline = {
    schema: 'streamlab/scenario@1',
    name: 'x',
    connect: 'pipeline',
    source: { chunks: 2, chunk: { text: 'a' } },
    transforms: [{}],
    sink: { delayMs: 1 },
  };
  const loop = {
    schema: 'streamlab/scenario@1',
    name: 'x',
    connect: 'write-loop',
    sink: { delayMs: 1 },
    writeLoop: { items: 2, chunk: { text: 'a' }, respectBackpressure: true },
  };
  const { schema: _, ...noSchema } = pipeline;
  const cases = [
    [noSchema, 'schema: '],
    [{ ...pipeline, name: null }, 'name: '],
    [{ ...pipeline, transforms: null }, 'transforms: '],
    [{ ...pipeline, writeLoop: null }, 'writeLoop: '],
    [{ ...loop, source: null }, 'source: '],
    [{ ...loop, transforms: [] }, 'transforms: '],
    [{ ...loop, transforms: null }, 'transforms: '],
    [{ ...pipeline, sampleEveryMs: null }, 'sampleEveryMs: null'],
    [{ ...pipeline, source: { ...pipeline.source, highWaterMark: null } }, 'source.highWaterMark: null'],
    [{ ...pipeline, source: { ...pipeline.source, objectMode: null } }, 'source.objectMode: null'],
    [{ ...pipeline, transforms: [{ highWaterMark: null }] }, 'transforms[0].highWaterMark: null'],
    [{ ...pipeline, transforms: [{ objectMode: null }] }, 'transforms[0].objectMode: null'],
    [{ ...pipeline, sink: { highWaterMark: null } }, 'sink.highWaterMark: null'],
    [{ ...loop, sink: { objectMode: null } }, 'sink.objectMode: null'],
    [{ ...pipeline, sink: { failAt: 10_000_001 } }, 'sink.failAt: '],
  ];
  for (const [scenario, field] of cases) {
    const r = oracle(['-'], JSON.stringify(scenario));
    assert.equal(r.status, 2, `${field}: exit ${r.status} ${r.stdout.slice(0, 200)}`);
    assert.ok(r.stderr.startsWith(`scenario refused: ${field}`), `${field}: ${r.stderr}`);
  }
  // null keeps its meaning where the contract gives it one, and every field may be left out
  const nulls = {
    ...pipeline,
    source: { ...pipeline.source, readDelayMs: null },
    transforms: [{ delayMs: null, throttleBytesPerSec: null }],
    sink: { delayMs: null, failAt: null },
  };
  const { name: __, transforms: ___, ...bare } = pipeline;
  for (const scenario of [pipeline, loop, nulls, bare]) {
    const r = oracle(['-'], JSON.stringify(scenario));
    assert.equal(r.status, 0, r.stderr);
  }
});

// A text chunk's size is its UTF-8 length after expansion: exactly 64 MiB is allowed.
test('a text chunk of exactly 64 MiB after expansion is accepted, one byte more is refused', () => {
  const at = (text) => ({
    schema: 'streamlab/scenario@1',
    connect: 'write-loop',
    sink: {},
    writeLoop: { items: 12, chunk: { text }, respectBackpressure: true },
  });
  const fill = 'y'.repeat(64 * 1024 * 1024 - 4); // + '{n}' as 2 digits + '{i}' as 2 digits for item 12
  assert.equal(oracle(['--no-trace', '-'], JSON.stringify(at(`${fill}{n}{i}`))).status, 0);
  const r = oracle(['--no-trace', '-'], JSON.stringify(at(`y${fill}{n}{i}`)));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^scenario refused: writeLoop\.chunk\.text: a chunk would be 67108865 bytes/);
});

// SCENARIO.md "Chunks": {n} and {i} are replaced in one pass over the original text.
test('text templates expand in one pass: {i{n}} is "{i1}" for chunk 1', () => {
  const s = {
    schema: 'streamlab/scenario@1',
    name: 'nest',
    connect: 'pipeline',
    source: { chunks: 12, chunk: { text: '{i{n}}' } },
    sink: { delayMs: null },
  };
  const r = oracle(['-'], JSON.stringify(s));
  assert.equal(r.status, 0, r.stderr);
  const lens = JSON.parse(r.stdout)
    .trace.filter((e) => e.stream === 'source' && e.ev === 'push' && !e.eof)
    .map((e) => e.len);
  assert.deepEqual(lens, [...Array(9).fill(4), 5, 5, 5]);
});

// SCENARIO.md "Chunks": a lone surrogate escape is valid JSON, 3 bytes (U+FFFD) in a Buffer; a
// name holding one is echoed with U+FFFD, as the core echoes it.
test('lone surrogates: 3 bytes per chunk, and the name echoed with U+FFFD', () => {
  const text =
    '{"schema":"streamlab/scenario@1","name":"a\\ud800b","connect":"pipeline","source":{"chunks":2,"chunk":{"text":"\\ud800"}},"sink":{"delayMs":null}}';
  const r = oracle(['-'], text);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.name, 'a\uFFFDb');
  assert.match(r.stdout, /"name":"a\uFFFDb"/); // the character itself, not an escape
  const lens = res.trace.filter((e) => e.stream === 'source' && e.ev === 'push' && !e.eof).map((e) => e.len);
  assert.deepEqual(lens, [3, 3]);
});

test('generator: deterministic, and every scenario is well formed', () => {
  assert.deepEqual(generate(42, 7), generate(42, 7));
  assert.deepEqual(generate('42', 7), generate(42, 7));
  assert.notDeepEqual(generate(42, 7), generate(42, 8));
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-gen-'));
  const files = writeScenarios('t1', 120, dir);
  const r = oracle(['--no-trace', '--batch'], files.join('\n'));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, files.length);
  for (const l of lines) assert.ok(l.result, `${l.file}: ${l.refused || l.budget || l.failure}`);
});

test('generator reaches every corner often enough (features() per 2000 scenarios)', () => {
  const counts = new Map();
  for (let i = 0; i < 2000; i++)
    for (const f of features(generate('corners', i))) counts.set(f, (counts.get(f) ?? 0) + 1);
  const corners = [
    'chunks:10000+',
    'transforms:4-8',
    'transforms:9-16',
    'hwm:=chunk',
    'hwm:chunk-1',
    'hwm:chunk+1',
    'hwm:2^30',
    'chunk:16MiB+',
    'chunk:empty',
    'empty chunk:object stage',
    'delay:>13ms',
    'throttle:<1ms',
    'throttle:ms',
    'throttle:>ceiling',
    'text:nested',
    'text:lone surrogate',
    'text:surrogate pair',
    'sample:prime',
    'sample:huge',
    'stages:byte/object mix',
    'node:22',
    'failAt',
  ];
  for (const c of corners) assert.ok((counts.get(c) ?? 0) >= 5, `${c}: ${counts.get(c) ?? 0} of 2000`);
});

test('generator covers the contract', () => {
  const seen = new Set();
  const mark = (k) => seen.add(k);
  for (let i = 0; i < 600; i++) {
    const s = generate('coverage', i);
    mark(`connect:${s.connect}`);
    mark(`node:${s.node}`);
    if (s.sampleEveryMs) mark('sampleEveryMs');
    if (s.sink.failAt) mark('failAt');
    if (s.sink.objectMode) mark('sink objectMode');
    for (const [k, v] of Object.entries(s.sink)) if (v === null) mark(`null sink.${k}`);
    const stages = [s.source, ...(s.transforms || []), s.sink].filter(Boolean);
    for (const st of stages) {
      if (!('highWaterMark' in st)) mark('hwm absent');
      else if (st.highWaterMark === 0) mark('hwm 0');
      else if (st.highWaterMark === 1) mark('hwm 1');
      else if (st.highWaterMark > 1000) mark('hwm large');
      for (const d of [st.delayMs, st.readDelayMs]) {
        if (d === 0) mark('delay 0');
        else if (d !== undefined && d !== null && d % 1 !== 0) mark(d < 1 ? 'delay below 1' : 'delay fraction');
      }
    }
    if (s.connect !== 'write-loop') {
      mark(`transforms:${(s.transforms || []).length}`);
      if (s.source.objectMode) mark('source objectMode');
      if ((s.transforms || []).some((t) => t.objectMode)) mark('transform objectMode');
      if ((s.transforms || []).some((t) => t.throttleBytesPerSec)) mark('throttle');
    } else mark(`respectBackpressure:${s.writeLoop.respectBackpressure}`);
    const chunk = s.source ? s.source.chunk : s.writeLoop.chunk;
    if ('object' in chunk) mark('object chunk');
    if (chunk.bytes === 0) mark('empty bytes');
    if (/[\u0080-\uffff]/.test(chunk.text ?? '')) mark('multi-byte text');
    if (/\{n\}/.test(chunk.text ?? '')) mark('{n}');
    if (/\{i\}/.test(chunk.text ?? '')) mark('{i}');
  }
  const want = [
    'connect:pipeline',
    'connect:pipe',
    'connect:write-loop',
    'node:22',
    'node:20',
    'node:undefined',
    'sampleEveryMs',
    'failAt',
    'sink objectMode',
    'source objectMode',
    'transform objectMode',
    'throttle',
    'hwm absent',
    'hwm 0',
    'hwm 1',
    'hwm large',
    'delay 0',
    'delay below 1',
    'delay fraction',
    'transforms:0',
    'transforms:1',
    'transforms:2',
    'transforms:3',
    'respectBackpressure:true',
    'respectBackpressure:false',
    'object chunk',
    'empty bytes',
    'multi-byte text',
    '{n}',
    '{i}',
    'null sink.delayMs',
  ];
  for (const k of want) assert.ok(seen.has(k), `never generated: ${k}`);
});

test('batch mode gives the same results as one process per scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-batch-'));
  // Seed chosen to include uncaught errors (object chunks into byte streams) mid-batch.
  const files = writeScenarios('batch', 40, dir);
  const b = oracle(['--batch'], files.join('\n'));
  assert.equal(b.status, 0, b.stderr);
  const lines = b.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  let uncaught = 0;
  for (const l of lines) {
    const single = oracle([l.file]);
    assert.equal(single.status, 0, single.stderr);
    assert.deepEqual(l.result, JSON.parse(single.stdout), basename(l.file));
    if (l.result.summary.error?.uncaught) uncaught++;
  }
  assert.ok(uncaught > 0, 'no uncaught error in this batch: pick another seed');
});

test('event budget: more than 5,000,000 trace events ends with exit 3, --no-trace lifts it', () => {
  const s = {
    schema: 'streamlab/scenario@1',
    name: 'big',
    connect: 'write-loop',
    sink: { highWaterMark: 4 },
    writeLoop: { items: 1_700_000, chunk: { bytes: 1 }, respectBackpressure: true },
  };
  const r = oracle(['-'], JSON.stringify(s));
  assert.equal(r.status, 3);
  assert.match(r.stderr, /event budget exceeded/);
  assert.equal(r.stdout, '');
  const n = oracle(['--no-trace', '-'], JSON.stringify(s));
  assert.equal(n.status, 0, n.stderr);
  assert.equal(JSON.parse(n.stdout).summary.consumed, 1_700_000);
});

test('uncaught error: object-mode source into a byte sink', () => {
  const s = {
    schema: 'streamlab/scenario@1',
    name: 'o2b',
    connect: 'pipeline',
    source: { chunks: 3, chunk: { object: 2 }, objectMode: true },
    sink: { delayMs: 1 },
    sampleEveryMs: 5,
  };
  const r = oracle(['-'], JSON.stringify(s));
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.summary.error.code, 'ERR_INVALID_ARG_TYPE');
  assert.equal(res.summary.error.uncaught, true);
  assert.equal(res.summary.endedAtMs, 0);
  assert.equal(res.summary.consumed, 0);
  assert.equal(res.samples.length, 1);
});

// Differential driver: silent lines collected instead of printed.
async function diff(args) {
  const lines = [];
  const code = await differential(args, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

test('differential: the oracle agrees with itself', async () => {
  const out = mkdtempSync(join(tmpdir(), 'streamlab-diff-'));
  const { code, text } = await diff([
    '--seed',
    'self',
    '--count',
    '8',
    '--runner',
    `${NODE20} --expose-internals tests/node/oracle.cjs`,
    '--out',
    out,
  ]);
  assert.equal(code, 0, text);
  assert.match(text, /^seed self/);
  assert.match(text, /\n8 passed, 0 failed$/);
  // A run where everything passed leaves nothing behind.
  assert.equal(existsSync(out), false, `${out} was left behind`);
});

test('differential: a wrong runner is caught, scenario by scenario', async () => {
  const out = mkdtempSync(join(tmpdir(), 'streamlab-diff-'));
  const count = 12;
  const { code, text } = await diff([
    '--seed',
    'mutant',
    '--count',
    String(count),
    '--runner',
    `${NODE20} tests/node/mutant-runner.cjs`,
    '--out',
    out,
    '--show',
    '100',
  ]);
  assert.equal(code, 1);
  // mutant-runner.cjs leaves a scenario intact when this hash of its file name is 0 mod 6.
  const intact = (name) => {
    let h = 0;
    for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    return h % 6 === 0;
  };
  let failing = 0;
  for (let i = 0; i < count; i++) {
    const name = `gen-mutant-${i}`;
    const reported = text.includes(`FAIL ${name}:`);
    assert.equal(reported, !intact(`${name}.json`), `${name} ${reported ? 'reported' : 'not reported'}\n${text}`);
    if (reported) failing++;
  }
  assert.ok(failing > 0);
  assert.match(text, new RegExp(`\\n${count - failing} passed, ${failing} failed$`));
  // Failing scenarios are kept with both results, and --replay runs them again.
  const failDir = join(out, 'failures');
  const kept = readdirSync(failDir).filter((n) => /^gen-mutant-\d+\.json$/.test(n));
  assert.equal(kept.length, failing);
  const again = await diff([
    '--replay',
    join(failDir, kept[0]),
    '--runner',
    `${NODE20} tests/node/mutant-runner.cjs`,
    '--out',
    mkdtempSync(join(tmpdir(), 'streamlab-replay-')),
  ]);
  assert.equal(again.code, 1);
  assert.match(again.text, /\n0 passed, 1 failed$/);
});

// The Rust core's native runner against Node, when it has been built (cargo build --release
// -p streamlab); a fixed seed so that a failure here replays the same way.
const RUST = join(repoRoot, 'target/release/streamlab');
test('differential: the Rust runner agrees with Node on 200 generated scenarios', async () => {
  assert.ok(existsSync(RUST), `no ${RUST}: build it first (cargo build --release -p streamlab; test.sh does)`);
  const out = mkdtempSync(join(tmpdir(), 'streamlab-diff-'));
  const { code, text } = await diff([
    '--seed',
    'ci',
    '--count',
    '200',
    '--runner',
    'target/release/streamlab run',
    '--out',
    out,
  ]);
  assert.equal(code, 0, text);
});
