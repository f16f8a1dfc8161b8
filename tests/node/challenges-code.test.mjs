// The challenges' code-step checks (www/challenges/*-code.js) on fabricated run records, in
// the shape the code lab's runProgram returns: each verdict follows what the record says the
// program did, never what it printed, and says why in numbers the learner can act on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as LC from '../../www/challenges/large-file-code.js';
import * as TC from '../../www/challenges/throttle-code.js';
import * as NC from '../../www/challenges/narrow-code.js';
import { digestOf, unusable, TRACE_CAP } from '../../www/challenges/code-record.js';

const MIB = 1024 * 1024;

// A run record: streams by [name, kind, readable hwm, writable hwm], trace events, output.
function record({ streams, trace = [], output = [], endedAt, maxBuffered = 0, exitCode = 0, message = '' }) {
  return {
    output,
    exitCode,
    message,
    endedAt,
    streams: streams.map(([name, kind, r, w]) => ({
      name,
      kind,
      readableHighWaterMark: r ?? null,
      writableHighWaterMark: w ?? null,
      objectMode: false,
    })),
    summary: { events: trace.length, maxBufferedBytes: maxBuffered, endedAtMs: endedAt },
    trace,
    buffered: [],
    samples: [],
    traceTruncated: false,
  };
}

// Large file: `chunks` writes of 1 MiB into "Dest 2", each taken by _write 5 ms apart; with
// `respect`, each write() that says false is followed by a 'drain' before the next write;
// without, the writes go on at once.
function largeFileRun({ chunks = 1024, respect = true, logEvery = 100, rss = () => 32 * MIB } = {}) {
  const trace = [];
  let t = 0;
  for (let k = 0; k < chunks; k++) {
    trace.push({ t, ev: 'write', stream: 'Dest 2', len: MIB, ret: false, wl: MIB });
    trace.push({ t: respect ? t : k * 5, ev: '_write', stream: 'Dest 2', len: MIB, wl: MIB });
    if (respect) {
      t += 5;
      trace.push({ t, ev: 'cb', stream: 'Dest 2', wl: 0 });
      trace.push({ t, ev: 'drain', stream: 'Dest 2' });
    }
  }
  const endedAt = chunks * 5;
  const output = [];
  for (let at = logEvery; at < endedAt; at += logEvery) {
    output.push({ t: at, stream: 'stdout', text: `${at} ms: rss ${rss(at)} bytes\n` });
  }
  return record({
    streams: [
      ['File 1', 'readable', MIB, null],
      ['Dest 2', 'writable', null, MIB],
    ],
    trace,
    output,
    endedAt,
    maxBuffered: respect ? 2 * MIB : chunks * MIB,
  });
}

test('large file: 1 GiB with backpressure passes, with the contrast named', () => {
  const contrast = { summary: { maxBufferedBytes: 1024 * MIB }, endedAt: 5120 };
  const r = LC.check(largeFileRun(), contrast);
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(
    r.reasons[0],
    /^1 GiB went through Dest 2 in 5\.1 s of virtual time; modelled memory peaked at 32 MiB \(bound 64 MiB\), logged in 51 of 51 tenths of a second; the page's loop that ignores write\(\)'s return value peaked at 1\.03 GiB/,
  );
  assert.equal(r.facts.through, 1024 * MIB);
});

test('large file: writing on after false names the count and the peak', () => {
  const r = LC.check(largeFileRun({ respect: false, rss: (t) => 30 * MIB + t * MIB }));
  assert.equal(r.passed, false);
  assert.match(
    r.reasons[0],
    /^Modelled memory rose to 1\.03 GiB, over the bound of 64 MiB: Dest 2's write\(\) returned false 1,024 times and the program kept writing \(1,023 more write\(\) calls before a 'drain'\)\.$/,
  );
  assert.match(r.reasons[1], /^Your program logged rss 130 MiB at 100 ms, over the bound of 64 MiB\.$/);
});

test('large file: too little data, a sparse log, a cut trace or a failed run are each said', () => {
  let r = LC.check(largeFileRun({ chunks: 512 }));
  assert.match(r.reasons[0], /^Only 512 MiB reached Dest 2's _write\(\); the goal is at least 1 GiB/);
  r = LC.check(largeFileRun({ logEvery: 1000 }));
  assert.deepEqual(r.reasons, [
    'The program logged in 5 of the 51 tenths of a second it ran: log process.memoryUsage().rss every 100 ms with setInterval(…, 100), and clear it at the end.',
  ]);
  const cut = { ...largeFileRun(), traceTruncated: true, summary: { events: 131077, maxBufferedBytes: 0 } };
  r = LC.check(cut);
  assert.equal(
    r.reasons[0],
    'The program made 131,077 stream events; the page keeps the first 20,000 and needs all of them to count what went through: read the file in 1 MiB chunks (CHUNK_SIZE in the starter).',
  );
  r = LC.check({ ...largeFileRun(), exitCode: 1, message: 'TypeError: x is not a function\n    at main' });
  assert.deepEqual(r.reasons, [
    'The program did not finish: exit code 1 (an uncaught error): TypeError: x is not a function.',
  ]);
  // Printing the verdict's words passes nothing: no stream, no bytes.
  r = LC.check(
    record({
      streams: [],
      output: [{ t: 0, stream: 'stdout', text: '1 GiB went through, peak 32 MiB\n' }],
      endedAt: 0,
    }),
  );
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /^No stream took any data/);
  assert.equal(TRACE_CAP, 20_000);
  assert.equal(unusable(largeFileRun()), null);
});

test('large file: rss figures are read in the unit printed', () => {
  assert.equal(LC.rssOf('100 ms: rss 35651584 bytes'), 35651584);
  assert.equal(LC.rssOf('rss: 34 MiB'), 34 * MIB);
  assert.equal(LC.rssOf('RSS=34.5 MB'), 34.5e6);
  assert.equal(LC.rssOf('rss 1,048,576'), MIB);
  assert.equal(LC.rssOf('heapUsed 5000000'), null);
});

// Throttle: `chunks` of `size` bytes into "Throttle 3", pushed out at `rate` bytes/s from t=0.
function throttleRun({ rate = TC.RATE, chunks = 384, size = 1024, wl = 16384, at = null } = {}) {
  const trace = [{ t: 0, ev: '_write', stream: 'Throttle 3', len: size, wl: size }];
  for (let k = 1; k <= chunks; k++) {
    const t = at ? at(k) : Math.round((k * size * 1000) / rate);
    trace.push({ t, ev: 'write', stream: 'Throttle 3', len: size, ret: true, wl: Math.min(wl, k * size) });
    trace.push({ t, ev: 'push', stream: 'Throttle 3', len: size, ret: true, rl: size });
  }
  const end = trace[trace.length - 1].t;
  return record({
    streams: [
      ['Source 1', 'readable', 16384, null],
      ['Sink 2', 'writable', null, 16384],
      ['Throttle 3', 'transform', 16384, 16384],
    ],
    trace,
    endedAt: end,
  });
}

test('throttle: N over 6 s passes; 20% fast, uneven seconds, a short run and a swollen buffer do not', () => {
  let r = TC.check(throttleRun());
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.equal(r.facts.windows.length, 6);

  r = TC.check(throttleRun({ rate: TC.RATE * 1.2 }));
  assert.equal(r.passed, false);
  assert.match(
    r.reasons[0],
    /^Throttle 3 passed 384 KiB on in 5 s: 76\.8 KiB\/s, 20% above N = 64 KiB\/s \(65536 bytes\/s; tolerance 5%\)\.$/,
  );

  // The right average, but the first half of the data in the first second.
  r = TC.check(
    throttleRun({ at: (k) => (k <= 192 ? Math.round((k * 1000) / 192) : 1000 + Math.round(((k - 192) * 5000) / 192)) }),
  );
  assert.equal(r.passed, false);
  assert.equal(r.reasons.length, 1, r.reasons.join(' '));
  assert.match(r.reasons[0], /^In the second from 0 ms Throttle 3 passed on 192 KiB\/s, more than 10% away from N/);

  r = TC.check(throttleRun({ chunks: 128 }));
  assert.match(r.reasons[0], /within 2 s of virtual time; the rate needs at least 5 s: send more data/);

  r = TC.check(throttleRun({ wl: 200 * 1024 }));
  assert.equal(r.passed, false);
  assert.match(
    r.reasons[0],
    /^Throttle 3's write buffer held up to 200 KiB, over its highWaterMark of 16 KiB plus one chunk: something kept writing after write\(\) returned false\.$/,
  );

  r = TC.check(record({ streams: [['Sink 1', 'writable', null, 16]], endedAt: 0 }));
  assert.match(r.reasons[0], /^No Transform passed any data on/);
});

// Narrow: one run of the pipeline at `hwm`, with the counts given.
function narrowRun(hwm, { reads = 51, falses = 6, endedAt = 401, chunks = 400, used = hwm } = {}) {
  const trace = [];
  for (let k = 0; k < reads; k++) trace.push({ t: 0, ev: 'read', stream: 'new Readable 1', rl: 0 });
  for (let k = 0; k < chunks; k++) {
    trace.push({ t: 0, ev: 'write', stream: 'new Transform 2', len: 256, ret: k >= falses, wl: 256 });
    if (k < falses) trace.push({ t: 1, ev: 'drain', stream: 'new Transform 2' });
    trace.push({ t: 1, ev: 'write', stream: 'new Writable 3', len: 256, ret: true, wl: 256 });
    trace.push({ t: 1, ev: '_write', stream: 'new Writable 3', len: 256, wl: 256 });
  }
  return record({
    streams: [
      ['new Readable 1', 'readable', 16384, null],
      ['new Transform 2', 'transform', used, used],
      ['new Writable 3', 'writable', null, 16384],
    ],
    trace,
    endedAt,
  });
}

test('narrow: the TRANSFORM_HWM line is replaced, or its absence is said', () => {
  const src = 'import x from "y";\nconst TRANSFORM_HWM = 1; // tiny\nnew T({ highWaterMark: TRANSFORM_HWM });\n';
  assert.equal(NC.withHwm(src, 4096).source, src.replace('= 1;', '= 4096;'));
  assert.equal(NC.withHwm('  const   TRANSFORM_HWM=16 ;', 1).source, '  const   TRANSFORM_HWM=1;');
  assert.match(NC.withHwm('const HWM = 1;', 1).error, /needs the line `const TRANSFORM_HWM = 1;`.*not there/);
  assert.match(NC.withHwm(`${src}${src}`, 1).error, /has it 2 times: keep one/);
  assert.match(NC.STARTER, /^const TRANSFORM_HWM = 1;$/m);
});

test("narrow: answers are checked against the learner's runs", () => {
  // Synchronous: same time, reads within 10%, few falses: straight through.
  const sync = NC.SIZES.map((h, k) => NC.rowOf(h, narrowRun(h, { reads: k === 4 ? 50 : 51, falses: k === 4 ? 0 : 6 })));
  const t = NC.truth(sync);
  assert.equal(t.throughput, 'same');
  assert.deepEqual([...t.why], ['straight-through']);
  assert.equal(NC.check({ throughput: 'same', why: 'straight-through' }, sync).passed, true);
  const r = NC.check({ throughput: 'falls', why: 'more-reads' }, sync);
  assert.equal(r.passed, false);
  assert.match(
    r.reasons[0],
    /at highWaterMark 1 the program took 401 ms of virtual time and at 65536 401 ms, so throughput stayed about the same/,
  );
  assert.match(r.reasons[1], /51 _read\(\) calls of the producer, 6 write\(\) → false into the transform/);
  assert.deepEqual(NC.check({}, sync).reasons, [
    'Pick what happened to throughput (the table of your runs is below).',
    'Pick the explanation your runs support.',
  ]);

  // Asynchronous: a false per chunk and many more reads at the tiny size; slower too.
  const slow = NC.SIZES.map((h, k) =>
    NC.rowOf(h, narrowRun(h, k < 3 ? { reads: 336, falses: 400, endedAt: 800 } : { reads: 51, falses: 1 })),
  );
  const ts = NC.truth(slow);
  assert.equal(ts.throughput, 'falls');
  assert.deepEqual([...ts.why].sort(), ['drain-per-chunk', 'more-reads']);

  // The program ignored TRANSFORM_HWM, or a run failed: said before any answer is judged.
  const ignored = NC.SIZES.map((h) => NC.rowOf(h, narrowRun(h, { used: 16384 })));
  assert.match(
    NC.check({ throughput: 'same', why: 'straight-through' }, ignored).reasons[0],
    /TRANSFORM_HWM = 1, new Transform 2's highWaterMark was 16384/,
  );
  const failed = [
    ...sync.slice(0, 4),
    NC.rowOf(65536, { ...narrowRun(65536), exitCode: 3, message: 'a loop ran more' }),
  ];
  assert.match(NC.check({}, failed).reasons[0], /^The program did not finish: exit code 3/);
});

test('a run digest names the run: the same record, the same digest; any change, another', async () => {
  const a = await digestOf(throttleRun());
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(await digestOf(throttleRun()), a);
  const other = throttleRun();
  other.output = [{ t: 0, stream: 'stdout', text: 'hi\n' }];
  assert.notEqual(await digestOf(other), a);
  assert.notEqual(await digestOf({ rows: [1] }), await digestOf({ rows: [2] }));
});
