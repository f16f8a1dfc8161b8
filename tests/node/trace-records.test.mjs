// The page's reader of the core's trace records (www/trace-columns.js) against the core's own
// JSON of the same run: every event and every stream's buffered amount after it, read in
// batches of several sizes, from the start and after a jump. Needs ./build.sh build (www/pkg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, Simulation, traceKinds, traceSegmentEvents } from '../../www/pkg/streamlab.js';
import { eventOf, TraceReader } from '../../www/trace-columns.js';

const wasm = readFileSync(fileURLToPath(new URL('../../www/pkg/streamlab_bg.wasm', import.meta.url)));
const { memory } = initSync({ module: wasm });
const kinds = Array.from(traceKinds());
const SEGMENT = traceSegmentEvents();

const SCENARIOS = {
  transforms: {
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks: 400, chunk: { bytes: 700 }, highWaterMark: 2048 },
    transforms: [{ highWaterMark: 1000, delayMs: 2 }, {}, { highWaterMark: 3 }],
    sink: { highWaterMark: 1500, delayMs: 3 },
  },
  // A loop that ignores backpressure: writableLength past 4 GiB, the records' side lists.
  'write loop, wide lengths': {
    schema: 'streamlab/scenario@1',
    connect: 'write-loop',
    writeLoop: { items: 300, chunk: { bytes: 64 * 1024 * 1024 }, respectBackpressure: false },
    sink: { highWaterMark: 16384, delayMs: 1 },
  },
  'an error': {
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks: 50, chunk: { bytes: 10 } },
    sink: { failAt: 7 },
  },
};

function traced(scenario) {
  const sim = new Simulation(scenario, { trace: true });
  sim.runToEnd();
  return sim;
}

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  test(`trace records read as the core writes them: ${name}`, () => {
    const sim = traced(scenario);
    const expected = sim.traceSince(0);
    const names = Array.from(sim.streams());
    assert.ok(expected.length > 50, `${expected.length} events`);
    if (name === 'an error') assert.ok(expected.some((e) => e.ev === 'error' && typeof e.code === 'string'));
    for (const size of [1, 7, 2048]) {
      const reader = new TraceReader(sim, memory, kinds, SEGMENT);
      const got = [];
      for (let from = 0; from < expected.length; ) {
        const batch = reader.read(from, size);
        assert.equal(batch.first, from);
        assert.ok(batch.n > 0);
        for (let k = 0; k < batch.n; k++) {
          got.push(eventOf(batch, k, kinds));
          const row = Object.fromEntries(names.map((s, j) => [s, batch.rows[k * names.length + j]]));
          assert.deepEqual(row, sim.bufferedAt(from + k), `buffered after event ${from + k} (batches of ${size})`);
        }
        from += batch.n;
      }
      assert.deepEqual(got, expected, `batches of ${size}`);
    }
    // A reader that starts in the middle (and one that goes back) replays from the core's row.
    const reader = new TraceReader(sim, memory, kinds, SEGMENT);
    const mid = Math.floor(expected.length / 2);
    for (const from of [mid, 3, mid + 1]) {
      const batch = reader.read(from, 5);
      assert.deepEqual(eventOf(batch, 0, kinds), expected[from]);
      const row = Object.fromEntries(names.map((s, j) => [s, batch.rows[j]]));
      assert.deepEqual(row, sim.bufferedAt(from), `buffered after event ${from}`);
    }
    assert.equal(reader.read(expected.length, 10).n, 0, 'nothing past the end');
    sim.free();
  });
}

test('the wide values are there: a writableLength past 4 GiB', () => {
  const sim = traced(SCENARIOS['write loop, wide lengths']);
  const batch = new TraceReader(sim, memory, kinds, SEGMENT).read(0, 1e6);
  assert.ok(Math.max(...batch.length) > 2 ** 32, `largest length ${Math.max(...batch.length)}`);
  sim.free();
});

// More than two segments: a batch stops at its segment's end, and the next one starts the
// next segment where the last left off (events and buffered rows both).
test('a trace of several segments reads across their boundaries', () => {
  const sim = traced({
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks: 12000, chunk: { bytes: 100 }, highWaterMark: 1000 },
    transforms: [{ highWaterMark: 300 }, {}],
    sink: { highWaterMark: 500, delayMs: 1 },
  });
  const total = sim.traceLength();
  assert.ok(total > 2 * SEGMENT, `${total} events`);
  const names = Array.from(sim.streams());
  const reader = new TraceReader(sim, memory, kinds, SEGMENT);
  const sizes = [];
  for (let from = 0; from < total; ) {
    const batch = reader.read(from, (3 * SEGMENT) / 4);
    sizes.push(batch.n);
    const expected = sim.traceSince(from, batch.n);
    assert.deepEqual(
      Array.from({ length: batch.n }, (_, k) => eventOf(batch, k, kinds)),
      expected,
      `events from ${from}`,
    );
    for (const k of [0, batch.n - 1]) {
      const row = Object.fromEntries(names.map((s, j) => [s, batch.rows[k * names.length + j]]));
      assert.deepEqual(row, sim.bufferedAt(from + k), `buffered after event ${from + k}`);
    }
    from += batch.n;
  }
  assert.deepEqual(
    sizes.slice(0, 3),
    [(3 * SEGMENT) / 4, SEGMENT / 4, (3 * SEGMENT) / 4],
    'a batch ends at its segment',
  );
  sim.free();
});
