// The adapter from a program's result to the experiment views (www/code/program-recorder.js):
// nothing to draw from output alone, the core's samples when there is no per-event data, and
// trace events with the engine's buffered amounts when there is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recorderOf } from '../../www/code/program-recorder.js';

const output = [{ t: 0, stream: 'stdout', text: 'hi\n' }];

test("today's result (output only) draws nothing", () => {
  assert.equal(recorderOf({ output, exitCode: 0, message: '', endedAt: 0 }), null);
  assert.equal(recorderOf(null), null);
  assert.equal(recorderOf({ output, streams: ['a'], trace: [{ t: 0, ev: 'read', stream: 'a' }] }), null);
});

test('samples are drawn as the core took them', () => {
  const rec = recorderOf({
    output,
    streams: [
      { name: 'FastProducer 1', highWaterMark: 64 },
      { name: 'SlowConsumer 1', writableHighWaterMark: 32 },
    ],
    samples: [
      { t: 0, buffered: { 'FastProducer 1': 67, 'SlowConsumer 1': 32 }, total: 99 },
      { t: 10, buffered: { 'FastProducer 1': 9, 'SlowConsumer 1': 27 }, total: 36 },
    ],
  });
  assert.equal(rec.sampled, true);
  assert.deepEqual(rec.streams, ['FastProducer 1', 'SlowConsumer 1']);
  assert.deepEqual(rec.total, [99, 36]);
  assert.deepEqual(rec.t, [0, 10]);
  assert.deepEqual(rec.hwms['FastProducer 1'], { readable: 64, writable: undefined });
  assert.equal(rec.hwms['SlowConsumer 1'].writable, 32);
});

test('trace events with their buffered amounts are drawn event by event', () => {
  const trace = [
    { t: 0, ev: 'read', stream: 'src', rl: 0 },
    { t: 0, ev: 'push', stream: 'src', len: 8, ret: true, rl: 8 },
    { t: 0, ev: 'write', stream: 'dst', len: 8, ret: false, wl: 8 },
  ];
  const rec = recorderOf({
    output,
    streams: ['src', 'dst'],
    highWaterMarks: { src: { readable: 16 }, dst: { writable: 4 } },
    trace,
    buffered: [{ src: 0 }, { src: 8 }, { src: 0, dst: 8 }],
  });
  assert.equal(rec.sampled, undefined);
  assert.equal(rec.length, 3);
  assert.deepEqual(rec.buffered.src, [0, 8, 0]);
  assert.deepEqual(rec.buffered.dst, [0, 0, 8]);
  assert.deepEqual(rec.markers.writeFalse, [null, null, 8]);
  assert.deepEqual(
    rec.hwmLines().map((l) => l.value),
    [16, 4],
  );
});

test("the engine's bufferedRows (event-major, streams in order) give the same recorder", () => {
  const trace = [
    { t: 0, ev: 'read', stream: 'src', rl: 0 },
    { t: 0, ev: 'push', stream: 'src', len: 8, ret: true, rl: 8 },
    { t: 0, ev: 'write', stream: 'dst', len: 8, ret: false, wl: 8 },
  ];
  const base = { output, streams: [{ name: 'src' }, { name: 'dst' }], trace };
  const rec = recorderOf({ ...base, bufferedRows: Float64Array.from([0, 0, 8, 0, 0, 8]) });
  assert.deepEqual(rec.buffered.src, [0, 8, 0]);
  assert.deepEqual(rec.buffered.dst, [0, 0, 8]);
  assert.deepEqual(rec.total, [0, 8, 8]);
  // Rows that do not cover every event draw nothing event by event.
  assert.equal(recorderOf({ ...base, bufferedRows: Float64Array.from([0, 0]) }), null);
});

test("the program's line behind an event comes from the engine's runs of lines", async () => {
  const { lineAt } = await import('../../www/code/program-recorder.js');
  const result = { lines: { from: [0, 3, 5], line: [10, 0, 4] } };
  assert.deepEqual(
    [0, 2, 3, 4, 5, 99].map((i) => lineAt(result, i)),
    [10, 10, 0, 0, 4, 4],
  );
  assert.equal(lineAt({}, 3), 0, 'no lines from the engine: none');
  assert.equal(lineAt(result, -1), 0);
});
