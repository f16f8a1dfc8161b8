// The side-by-side benchmark's engines agree on what happened (no timings here): for each of
// its workloads, cut down, Node's own streams, readable-stream@4 (in Node: the same code the
// benchmark bundles into Chromium), the native runner and the wasm core (trace on and off)
// report the same chunks pushed, _read calls, chunks written, write() false answers, 'drain'
// events and largest writableLength in _write. readable-stream's differences from Node 20 are
// exactly the known ones (knownDifference in tests/bench/workloads.mjs). Takes ~10 s.
// Needs ./build.sh build (the native runner and www/pkg).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nodeStream from 'node:stream';
import * as readableStream from 'readable-stream';
import { WORKLOADS, COUNTED, scaled, toScenario, runWorkload, disagreements } from '../bench/workloads.mjs';
import { initSync, Simulation } from '../../www/pkg/streamlab.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runner = join(root, 'target/release/streamlab');
initSync({ module: readFileSync(join(root, 'www/pkg/streamlab_bg.wasm')) });

// The 1 ms sink runs on real timers (about 1.1 ms a chunk): 1/100 of it; the rest at 1/10.
const workloads = WORKLOADS.map((w) => scaled(w, w.sinkDelayMs === null ? 10 : 100));

function nativeSummary(w) {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-side-by-side-'));
  try {
    const file = join(dir, `${w.id}.json`);
    writeFileSync(file, JSON.stringify(toScenario(w)));
    const run = spawnSync(runner, ['run', '--no-trace', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout).summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wasmSummary(w, trace) {
  const sim = new Simulation(toScenario(w), { trace });
  try {
    sim.runToEnd();
    return sim.summary();
  } finally {
    sim.free();
  }
}

for (const w of workloads) {
  test(`${w.id} (${w.chunks} chunks): every engine counts what Node's own streams count`, async () => {
    const now = () => performance.now();
    const runs = {
      'node:stream': await runWorkload(nodeStream, Buffer, w, now),
      'readable-stream': await runWorkload(readableStream, Buffer, w, now),
      native: { summary: nativeSummary(w) },
      'wasm, trace off': { summary: wasmSummary(w, false) },
      'wasm, trace on': { summary: wasmSummary(w, true) },
    };
    const node = runs['node:stream'].counts;
    // What the workload says must happen, so that agreeing on nothing cannot pass.
    assert.equal(node.produced, w.chunks);
    assert.equal(node.consumed, w.chunks);
    assert.equal(node.readCalls, w.chunks + 1);
    assert.equal(node.maxWritableLengthInWrite, w.chunkBytes);
    for (const k of COUNTED) assert.equal(typeof runs.native.summary[k], 'number', `native summary has ${k}`);

    const { differ, known } = disagreements(w, runs);
    assert.deepEqual(differ, []);
    // The known differences are exactly where knownDifference says, not merely allowed.
    const expectKnown = w.sinkDelayMs === null && w.chunkBytes >= w.sinkHwm;
    assert.equal(known.length > 0, expectKnown, known.join('; '));
  });
}

test('the 1 ms sink answers false to every write and drains after all but the last', async () => {
  const w = workloads.find((x) => x.sinkDelayMs !== null);
  const { counts } = await runWorkload(nodeStream, Buffer, scaled(w, 10), () => performance.now());
  assert.equal(counts.writeFalse, counts.consumed);
  assert.equal(counts.drainEvents, counts.consumed - 1);
});
