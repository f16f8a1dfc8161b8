// The page's pure helpers: amounts with scaling units, the chart decimator (min/max per
// column, exact for short runs, bounded for long ones), the work counted from a trace and the
// cost model, and the pause facts read from a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatAmount, amountTicks, BYTE_INCRS } from '../../www/units.js';
import { Decimator } from '../../www/decimate.js';
import { workOf, modelledMs } from '../../www/work.js';
import { pauseFacts } from '../../www/claims.js';
import { eventTimeLabels } from '../../www/chart.js';

test('amounts scale through B, KiB, MiB and GiB', () => {
  assert.equal(formatBytes(101), '101 B');
  assert.equal(formatBytes(10100), '9.86 KiB');
  assert.equal(formatBytes(65536), '64 KiB');
  assert.equal(formatBytes(10 * 2 ** 30), '10 GiB');
  assert.equal(formatAmount(3, 'objects'), '3 objects');
  assert.deepEqual(amountTicks('bytes')(null, [0, 2 ** 29, 2 ** 30]), ['0 GiB', '0.5 GiB', '1 GiB']);
  assert.ok(BYTE_INCRS.includes(16 * 1024) && BYTE_INCRS.every((v, i) => !i || v > BYTE_INCRS[i - 1]));
});

test('event-axis time labels never repeat', () => {
  const t = [0, 0, 0, 0, 10, 10, 20, 30];
  assert.deepEqual(
    eventTimeLabels([0, 1, 2, 3, 4, 5, 6, 7], (i) => t[i]),
    ['0', '', '', '', '10', '', '20', '30'],
  );
});

test('the decimator is exact for short runs and keeps min and max per bucket for long ones', () => {
  const short = new Decimator(['line', 'marker'], 100);
  for (let i = 0; i < 50; i++) short.push(i, [i % 7, i % 10 === 0 ? 1 : null], i);
  const { data, events } = short.output();
  assert.deepEqual(data[0], [...Array(50).keys()]);
  assert.deepEqual(
    data[1],
    [...Array(50).keys()].map((i) => i % 7),
  );
  assert.equal(data[2].filter((v) => v !== null).length, 5);
  assert.deepEqual(events, [...Array(50).keys()]);

  const long = new Decimator(['line', 'marker'], 100);
  let top = 0;
  for (let i = 0; i < 100000; i++) {
    const v = i === 77777 ? 5000 : i % 100;
    top = Math.max(top, v);
    long.push(i, [v, i === 12345 ? 3 : null], i);
  }
  const out = long.output();
  assert.ok(out.data[0].length <= 3 * 100, `${out.data[0].length} points`);
  assert.equal(Math.max(...out.data[1]), top, 'a one-event spike survives');
  assert.equal(out.data[2].filter((v) => v !== null).length, 1, 'the one marker survives');
  assert.ok(
    out.data[0].every((x, k) => !k || x >= out.data[0][k - 1]),
    'x never goes back',
  );
});

test('work is counted from the trace, and the cost model is explicit', () => {
  const trace = [
    { ev: 'read' },
    { ev: 'push', len: 8 },
    { ev: 'write', len: 8, ret: false },
    { ev: '_write', len: 8 },
    { ev: 'pause' },
    { ev: 'cb' },
    { ev: 'drain' },
    { ev: 'resume' },
  ];
  const w = workOf(trace);
  assert.equal(w.calls, 8);
  assert.equal(w.bytesCopied, 16);
  assert.equal(modelledMs(1000, w, { perCallUs: 1000, perByteUs: 0 }), 1008);
  assert.equal(modelledMs(0, w, { perCallUs: 0, perByteUs: 1000 }), 16);
});

test("a 'pause' after the stream's 'end' is not backpressure; reads while paused are counted", () => {
  const trace = [
    { ev: 'pause', stream: 'source', t: 0 },
    { ev: 'read', stream: 'source', rl: 8 },
    { ev: 'push', stream: 'source', rl: 70 },
    { ev: 'resume', stream: 'source', t: 40 },
    { ev: 'read', stream: 'source', rl: 0 },
    { ev: 'end', stream: 'source', t: 50 },
    { ev: 'pause', stream: 'source', t: 50 },
  ];
  const facts = pauseFacts(trace);
  assert.deepEqual(
    facts.map((f) => [f.kind, f.reads, f.maxRl]),
    [
      ['backpressure', 1, 70],
      ['end', 0, null],
    ],
  );
});
