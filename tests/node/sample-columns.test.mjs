// A trace-off run's samples as the page's Worker sends them (www/sample-columns.js: columns)
// and as the page records them from those columns a slice at a time (Recorder.forSamples,
// addSamples): the same recorder as Recorder.fromSamples makes from the samples themselves.
// The samples are the core's own (www/pkg; needs ./build.sh build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, Simulation } from '../../www/pkg/streamlab.js';
import { sampleColumns, sampleTransferables } from '../../www/sample-columns.js';
import { Recorder } from '../../www/recorder.js';

initSync({ module: readFileSync(fileURLToPath(new URL('../../www/pkg/streamlab_bg.wasm', import.meta.url))) });

function samplesOf(scenario) {
  const sim = new Simulation(scenario, { trace: false });
  try {
    sim.runToEnd();
    return sim.result().samples;
  } finally {
    sim.free();
  }
}

const fields = (rec) => ({
  streams: rec.streams,
  hwms: rec.hwms,
  sampled: rec.sampled,
  events: rec.events,
  t: rec.t,
  index: rec.index,
  buffered: rec.buffered,
  total: rec.total,
  markers: rec.markers,
  counts: rec.counts,
  running: rec.running,
});

const hwms = { source: { readable: 64 }, t0: { readable: 16, writable: 16 }, sink: { writable: 32 } };
const SCENARIO = {
  schema: 'streamlab/scenario@1',
  connect: 'pipeline',
  source: { chunks: 3000, chunk: { bytes: 100 }, highWaterMark: 64 },
  transforms: [{ highWaterMark: 16, delayMs: 1 }],
  sink: { highWaterMark: 32, delayMs: 3 },
  sampleEveryMs: 1,
};

test('the columns hold every sample, in the order of the first sample’s streams', () => {
  const samples = samplesOf(SCENARIO);
  assert.ok(samples.length > 2000, `${samples.length} samples`);
  const c = sampleColumns(samples);
  assert.equal(c.n, samples.length);
  assert.deepEqual(c.streams, Object.keys(samples[0].buffered));
  samples.forEach((s, i) => {
    assert.equal(c.t[i], s.t);
    assert.equal(c.total[i], s.total);
    c.streams.forEach((name, k) => {
      assert.equal(c.buffered[i * c.streams.length + k], s.buffered[name]);
    });
  });
  assert.deepEqual(sampleTransferables(c), [c.t.buffer, c.total.buffer, c.buffered.buffer]);
  // A stream missing from a later sample counts 0, as fromSamples takes it.
  const gap = sampleColumns([
    { t: 0, buffered: { a: 1, b: 2 }, total: 3 },
    { t: 5, buffered: { a: 4 }, total: 4 },
  ]);
  assert.deepEqual(Array.from(gap.buffered), [1, 2, 4, 0]);
  assert.deepEqual(sampleColumns([]), {
    n: 0,
    streams: [],
    t: new Float64Array(0),
    total: new Float64Array(0),
    buffered: new Float64Array(0),
  });
});

test('recorded from the columns in slices, the recorder equals fromSamples', () => {
  const samples = samplesOf(SCENARIO);
  const want = fields(Recorder.fromSamples(samples, hwms));
  const c = sampleColumns(samples);
  for (const slice of [1, 7, 1024, c.n]) {
    const rec = Recorder.forSamples(c.streams, hwms);
    for (let from = 0; from < c.n; from += slice) rec.addSamples(c, from, Math.min(c.n, from + slice));
    assert.deepEqual(fields(rec), want, `slices of ${slice}`);
  }
  const none = Recorder.forSamples([], hwms);
  assert.deepEqual(fields(none), fields(Recorder.fromSamples([], hwms)));
});
