// The challenges' pure logic (www/challenges/*.js) against the native runner: the scenarios
// they build are valid, and their checks pass and fail for the stated reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { native } from '../e2e/page-helpers.mjs';
import * as L from '../../www/challenges/large-file.js';
import * as T from '../../www/challenges/throttle.js';
import * as N from '../../www/challenges/narrow.js';

test('large file: 1 GiB piped passes; write() ignored grows with the file; small files are not yet', () => {
  const { input, errors } = L.readInput({ fileMiB: '1024', chunkKiB: '64', sinkMs: '5', method: 'pipeline' });
  assert.deepEqual(errors, {});
  const mine = native(L.scenarioFor(input), { trace: false });
  const contrast = native(L.contrastScenario(input), { trace: false });
  const r = L.check(input, mine, contrast.summary);
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.ok(r.facts.peak < L.BOUND);
  assert.equal(contrast.summary.maxBufferedBytes, 1024 * 1024 * 1024);
  // Samples every 100 ms of virtual time, as the challenge states.
  assert.equal(mine.samples[1].t, 100);

  const half = { ...input, fileMiB: 512 };
  const r2 = L.check(half, native(L.scenarioFor(half), { trace: false }), null);
  assert.equal(r2.passed, false);
  assert.match(r2.reasons[0], /at least 1 GiB/);

  const ignore = { ...input, method: 'loop-ignore' };
  const r3 = L.check(ignore, native(L.scenarioFor(ignore), { trace: false }), null);
  assert.equal(r3.passed, false);
  assert.match(r3.reasons.join(' '), /over the bound/);

  assert.match(
    L.readInput({ fileMiB: '20000', chunkKiB: '1', sinkMs: '1', method: 'pipeline' }).errors.chunkKiB,
    /at most 10,000,000/,
  );
  assert.match(
    L.readInput({ fileMiB: 'lots', chunkKiB: '64', sinkMs: '1', method: 'x' }).errors.fileMiB,
    /not a number/,
  );
});

test('large file: 200,000 samples (2048 MiB, 64 KiB chunks, 500 ms sink) are checked without overflowing the stack', () => {
  // 2048 MiB in 64 KiB chunks at 500 ms each is 16,384 s of virtual time: 163,840 samples.
  // Math.max(...samples) threw "Maximum call stack size exceeded" on a valid answer.
  const { input, errors } = L.readInput({ fileMiB: '2048', chunkKiB: '64', sinkMs: '500', method: 'pipeline' });
  assert.deepEqual(errors, {});
  const n = 200_000;
  const samples = Array.from({ length: n }, (_, k) => ({ t: k * L.SAMPLE_MS, total: (k % 3) * 65536 }));
  samples[123_456].total = 4 * 65536;
  const summary = { maxBufferedBytes: 4 * 65536, consumed: 32768, endedAtMs: n * L.SAMPLE_MS, error: null };
  const r = L.check(input, { summary, samples }, null);
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.equal(r.facts.sampledPeak, L.BASELINE + 4 * 65536);
  assert.equal(r.facts.fileBytes, 2048 * 1024 * 1024);
});

test('throttle: 200,000 readings are checked without overflowing the stack', () => {
  const { input } = T.readInput({ ...T.DEFAULTS, rate: '262144' });
  const n = 200_000;
  const step = (262144 * T.STEP_MS) / 1000;
  const readings = Array.from({ length: n }, (_, k) => ({ t: k * T.STEP_MS, delivered: k * step, upstream: k % 7 }));
  const summary = { consumed: ((n - 1) * step) / (input.chunkKiB * 1024), endedAtMs: (n - 1) * T.STEP_MS, error: null };
  const r = T.check(input, readings, summary);
  assert.equal(r.facts.upstreamPeak, 6);
  assert.equal(r.facts.windows, Math.floor((n - 1) / (1000 / T.STEP_MS)));
});

test('throttle: windows and the overall rate follow N; a slow sink is named as the bottleneck', () => {
  const { input } = T.readInput({ ...T.DEFAULTS, rate: '262144' });
  const result = native(T.scenarioFor(input), { trace: true });
  // Rebuild the 100 ms readings from the trace: bytes into the sink by each slice.
  const end = result.summary.endedAtMs;
  const readings = [];
  for (let t = 0; t <= end + T.STEP_MS; t += T.STEP_MS) {
    const consumed = result.trace.filter((e) => e.stream === 'sink' && e.ev === '_write' && e.t <= t).length;
    readings.push(T.reading(t, 16384, consumed, {}));
    if (t >= end) break;
  }
  const r = T.check(input, readings, result.summary);
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.ok(Math.abs(r.facts.rate - 262144) / 262144 < 0.01);

  const slow = { ...input, sinkMs: 100 };
  const s = native(T.scenarioFor(slow), { trace: false }).summary;
  const r2 = T.check(slow, [], s);
  assert.equal(r2.passed, false);
  assert.match(r2.reasons.join(' '), /The sink is the bottleneck/);
  assert.match(T.readInput({ ...T.DEFAULTS, rate: '1' }).errors.rate, /under an hour/);
});

test('narrow: the right answer follows the data, not a fixed string', () => {
  const rowsFor = (over) => {
    const { input } = N.readInput({ ...N.DEFAULTS, ...over });
    return { input, rows: input.sizes.map((hwm) => N.countRow(hwm, native(N.scenarioFor(input, hwm)))) };
  };
  const sync = rowsFor({});
  assert.deepEqual(N.check({ throughput: 'same', why: 'straight-through' }, sync.rows, sync.input.chunks).passed, true);
  assert.deepEqual(
    N.check({ throughput: 'falls', why: 'drain-per-chunk' }, sync.rows, sync.input.chunks).passed,
    false,
  );
  const timed = rowsFor({ transformDelay: '0' });
  // One timer per chunk in the transform: 2000 ms of virtual time at every size, so throughput
  // (bytes per virtual ms) is the same; the tiny size costs drains, not time.
  assert.deepEqual(
    timed.rows.map((r) => r.endedAtMs),
    timed.rows.map(() => 2000),
  );
  assert.deepEqual(N.truth(timed.rows, timed.input.chunks).throughput, 'same');
  assert.deepEqual(
    N.check({ throughput: 'same', why: 'drain-per-chunk' }, timed.rows, timed.input.chunks).passed,
    true,
  );
  assert.deepEqual(
    N.check({ throughput: 'falls', why: 'drain-per-chunk' }, timed.rows, timed.input.chunks).passed,
    false,
  );
  assert.deepEqual(
    N.check({ throughput: 'same', why: 'straight-through' }, timed.rows, timed.input.chunks).passed,
    false,
  );
  assert.match(N.readInput({ ...N.DEFAULTS, sizes: '1' }).errors.sizes, /two to eight/);
});
