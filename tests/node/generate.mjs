#!/usr/bin/env node
// Seeded random scenario@1 generator for the differential test (docs/SCENARIO.md).
//
//   node tests/node/generate.mjs --seed S --count N --out DIR [--start I]
//
// writes DIR/gen-S-I.json for I = start .. start+N-1. generate(seed, index) is a pure
// function: the same (seed, index) always gives the same scenario, so one failing scenario
// can be rebuilt from its name alone.
//
// What it covers: the three connect kinds; 0–3 transforms; every delay kind (absent, null, 0,
// fractions, small whole numbers chosen so that timer lists with equal due times happen);
// highWaterMark 0 / 1 / small / large / absent; objectMode on any stage, including mixes Node
// rejects (an object chunk into a byte stream ends with an uncaught error), but object chunks
// only where the first stream can take them; text chunks with {n}/{i} and multi-byte UTF-8,
// bytes (empty ones too) and object chunks; failAt; throttle (never with delayMs);
// sampleEveryMs sometimes; "node": 22 about one time in ten. Sizes stay small (at most about
// 150 chunks or items) so that a run is milliseconds of work.
// And, three times in ten, the corners (edge()): runs past 10,000 chunks, up to 16 transforms,
// highWaterMarks equal to a chunk's size, one below, one above and up to 2^30, 16–64 MiB
// chunks, delays far past 13 ms, throttles from sub-millisecond to past the timer ceiling,
// nested and surrogate text templates, prime and huge sampling intervals, byte and object
// stages alternating, empty chunks through object-mode stages. features() names what a
// scenario exercises; the differential test prints the count of each.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// mulberry32: a tiny 32-bit PRNG, good enough to spread test cases.
export function mulberry32(a) {
  return function next() {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A 32-bit hash of a seed (number or string) and an index, so that neighbouring indexes get
// unrelated streams of numbers.
export function mixSeed(seed, index) {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function tools(rand) {
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const chance = (p) => rand() < p;
  const pick = (list) => list[Math.floor(rand() * list.length)];
  // weighted([[w, value], ...])
  const weighted = (pairs) => {
    let r = rand() * pairs.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][1];
  };
  return { int, chance, pick, weighted };
}

// Delays: absent/null (synchronous), 0 and fractions (1 ms in Node), small whole numbers that
// often collide (equal due times on different lists).
const DELAYS = [0, 0.4, 1, 1.5, 2, 3, 5, 7, 10, 13];

const TEXTS = [
  'Chunk {n}\n',
  'Item {i}\n',
  'é€{n}',
  '{n}',
  '{i}',
  'x',
  '',
  'data-{i}-é\n',
  '€€€€',
  '😀{n}😀',
  'line {n} of text, ascii only\n',
  'ünïcødé {i} ✓',
  'ab',
];

function randomText(g) {
  if (g.chance(0.15)) return `${'y'.repeat(g.pick([10, 64, 100, 500, 1500]))}{n}`;
  return g.pick(TEXTS);
}

// A chunk spec that a stream in this mode can take (object chunks only in object mode).
function randomChunk(g, objectMode) {
  const kind = objectMode
    ? g.weighted([
        [35, 'text'],
        [25, 'bytes'],
        [40, 'object'],
      ])
    : g.weighted([
        [55, 'text'],
        [45, 'bytes'],
      ]);
  if (kind === 'text') return { text: randomText(g) };
  if (kind === 'bytes')
    return {
      bytes: g.weighted([
        [4, 0],
        [5, 1],
        [8, 7],
        [10, 64],
        [8, 100],
        [10, 1000],
        [10, 1024],
        [6, 4096],
        [5, 5000],
        [4, 16384],
        [2, 65536],
      ]),
    };
  return { object: g.pick([0, 1, 10, 1000]) };
}

function randomCount(g, max = 150) {
  return g.weighted([
    [3, 0],
    [5, 1],
    [6, 2],
    [8, g.int(3, 9)],
    [10, g.int(10, 40)],
    [6, g.int(41, 100)],
    [3, g.int(101, max)],
  ]);
}

// highWaterMark: absent (Node's default), 0, 1, small, large. Never null: SCENARIO.md refuses
// it (absent is how to ask for the default); 33 is the weight absent and null had together, so
// every other pick, and every seed's scenarios otherwise, stay the same.
function setHwm(g, target) {
  const hwm = g.weighted([
    [33, undefined],
    [8, 0],
    [8, 1],
    [26, g.int(2, 64)],
    [25, g.pick([100, 256, 1000, 1024, 4096, 16384, 65536])],
  ]);
  if (hwm !== undefined) target.highWaterMark = hwm;
}

function setObjectMode(g, target, p) {
  const on = g.chance(p);
  if (on) target.objectMode = true;
  else if (g.chance(0.15)) target.objectMode = false; // explicit false now and then
  return on;
}

function setDelay(g, target, field, pSync) {
  if (g.chance(pSync)) {
    if (g.chance(0.3)) target[field] = null;
    return;
  }
  target[field] = g.pick(DELAYS);
}

// ---- the corners: what usual shapes never reach -------------------------------------------

// Text templates in every form: placeholders side by side, nested in each other's braces,
// braces that are not placeholders, lone surrogates (JavaScript strings; Node writes U+FFFD).
const EDGE_TEXTS = [
  '{i{n}}',
  '{{n}}',
  '{n}{i}',
  '}{n{',
  '{i}{i}{n}{n}',
  '{N}{I}{ n}',
  '\ud800',
  'a\udc00b{n}',
  '\ud83d\ude00{i}',
  '{n}\ud83d',
];

// highWaterMark relative to a chunk's size: equal, one below, one above; or huge.
function relativeHwm(g, size) {
  return g.weighted([
    [3, size],
    [2, Math.max(size - 1, 0)],
    [2, size + 1],
    [1, 2 ** 30],
    [1, g.pick([2 ** 20, 2 ** 27])],
  ]);
}

function edge(g, s) {
  const long = g.chance(0.04);
  const stages = g.weighted([
    [4, g.int(0, 3)],
    [3, g.int(4, 8)],
    [3, g.int(9, 16)],
  ]);
  const chunkKind = g.weighted([
    [3, 'text'],
    [3, 'bytes'],
    [1, 'huge'],
    [2, 'empty'],
    [2, 'object'],
  ]);
  let chunk;
  let size = 1;
  if (chunkKind === 'text') {
    chunk = { text: g.pick(EDGE_TEXTS) };
    size = 3;
  } else if (chunkKind === 'bytes') {
    size = g.pick([1, 2, 3, 16, 17, 1023, 65535, 65536, 65537]);
    chunk = { bytes: size };
  } else if (chunkKind === 'huge') {
    size = g.weighted([
      [3, 2 ** 24],
      [1, 2 ** 26],
    ]);
    chunk = { bytes: size };
  } else if (chunkKind === 'empty') {
    chunk = g.chance(0.5) ? { bytes: 0 } : { text: '' };
    size = 0;
  } else {
    chunk = { object: g.pick([0, 5]) };
  }
  const count =
    chunkKind === 'huge' ? g.int(1, 3) : long ? g.int(10_000, 12_000) : stages > 8 ? g.int(1, 40) : g.int(1, 200);
  // Object chunks need an object-mode first stream; alternate byte and object stages after it.
  const alternate = chunkKind === 'object' || g.chance(0.4);
  const objectAt = (i) => (chunkKind === 'object' && i === 0 ? true : alternate ? i % 2 === 0 : false);
  const delay = () =>
    g.weighted([
      [5, undefined],
      [2, g.pick([14, 20, 33, 50, 99, 250])],
      [1, g.pick([1000, 4999, 60000])],
    ]);
  const hwm = (st, object) => {
    if (g.chance(0.8)) st.highWaterMark = object ? g.pick([0, 1, 2, 16, 17]) : relativeHwm(g, size);
  };
  s.connect = g.weighted([
    [5, 'pipeline'],
    [3, 'pipe'],
    [2, 'write-loop'],
  ]);
  let bigDelay = false;
  const setDelayEdge = (st, field) => {
    const d = delay();
    if (d !== undefined) {
      st[field] = d;
      if (d >= 1000) bigDelay = true;
    }
  };
  if (s.connect === 'write-loop') {
    s.sink = {};
    if (objectAt(0)) s.sink.objectMode = true;
    hwm(s.sink, !!s.sink.objectMode);
    setDelayEdge(s.sink, 'delayMs');
    s.writeLoop = { items: count, chunk, respectBackpressure: g.chance(0.7) };
  } else {
    s.source = { chunks: count, chunk };
    if (objectAt(0)) s.source.objectMode = true;
    hwm(s.source, !!s.source.objectMode);
    if (g.chance(0.3)) setDelayEdge(s.source, 'readDelayMs');
    s.transforms = [];
    for (let i = 1; i <= stages; i++) {
      const t = {};
      if (objectAt(i)) t.objectMode = true;
      hwm(t, !!t.objectMode);
      if (g.chance(0.15) && !long) {
        // Throttle rates from sub-millisecond per chunk to far past the timer ceiling.
        const unit = t.objectMode ? 1 : Math.max(size, 1);
        t.throttleBytesPerSec = g.pick([unit * 4000, unit * 1000, unit * 3, unit / 7, 0.001, 1e12]);
        // A chunk every seconds to days of virtual time: sample rarely, or the samples pass 1,000,000.
        if (t.throttleBytesPerSec < unit) bigDelay = true;
      } else if (g.chance(0.3)) {
        setDelayEdge(t, 'delayMs');
      }
      s.transforms.push(t);
    }
    s.sink = {};
    if (objectAt(stages + 1)) s.sink.objectMode = true;
    hwm(s.sink, !!s.sink.objectMode);
    if (g.chance(0.5)) setDelayEdge(s.sink, 'delayMs');
    if (g.chance(0.1)) s.sink.failAt = g.int(1, count);
  }
  if (g.chance(0.3)) s.sampleEveryMs = bigDelay ? 1e9 : g.pick([7, 13, 997, 1e9]);
  if (g.chance(0.3)) s.node = 22;
  return s;
}

/// The features a scenario exercises, for the coverage report.
export function features(s) {
  const f = new Set([`connect:${s.connect}`, `node:${s.node ?? 20}`]);
  const stages = [s.source, ...(s.transforms || []), s.sink].filter(Boolean);
  const chunk = (s.source || s.writeLoop).chunk;
  const count = (s.source || s.writeLoop)[s.source ? 'chunks' : 'items'];
  const n = (s.transforms || []).length;
  f.add(n === 0 ? 'transforms:0' : n <= 3 ? 'transforms:1-3' : n <= 8 ? 'transforms:4-8' : 'transforms:9-16');
  if (count >= 10_000) f.add('chunks:10000+');
  if ('bytes' in chunk) {
    if (chunk.bytes === 0) f.add('chunk:empty');
    if (chunk.bytes >= 2 ** 24) f.add('chunk:16MiB+');
  }
  if ('text' in chunk) {
    if (chunk.text === '') f.add('chunk:empty');
    if (/\{[ni]\{[ni]\}\}|\{\{[ni]\}\}/.test(chunk.text)) f.add('text:nested');
    if (/[\ud800-\udfff]/.test(chunk.text) && !/[\ud800-\udbff][\udc00-\udfff]/.test(chunk.text))
      f.add('text:lone surrogate');
    else if (/[\ud800-\udfff]/.test(chunk.text)) f.add('text:surrogate pair');
  }
  if ('object' in chunk) f.add('chunk:object');
  const size = 'bytes' in chunk ? chunk.bytes : null;
  let prevObject = null;
  for (const st of stages) {
    const h = st.highWaterMark;
    if (h === 2 ** 30) f.add('hwm:2^30');
    if (size !== null && h !== undefined && !st.objectMode) {
      if (h === size) f.add('hwm:=chunk');
      if (h === size - 1) f.add('hwm:chunk-1');
      if (h === size + 1) f.add('hwm:chunk+1');
    }
    for (const d of [st.delayMs, st.readDelayMs]) if (typeof d === 'number' && d > 13) f.add('delay:>13ms');
    const t = st.throttleBytesPerSec;
    if (typeof t === 'number') {
      const unit = st.objectMode ? 1 : Math.max(size ?? 1, 1);
      const msPerChunk = (unit * 1000) / t;
      f.add(msPerChunk < 1 ? 'throttle:<1ms' : msPerChunk > 2_147_483_647 ? 'throttle:>ceiling' : 'throttle:ms');
    }
    const object = !!st.objectMode;
    if (prevObject !== null && prevObject !== object) f.add('stages:byte/object mix');
    if (object && size === 0) f.add('empty chunk:object stage');
    prevObject = object;
    if (st.failAt) f.add('failAt');
  }
  const every = s.sampleEveryMs;
  if (every !== undefined)
    f.add(every >= 1e6 ? 'sample:huge' : [7, 13, 997].includes(every) ? 'sample:prime' : 'sample:other');
  return [...f];
}

export function generate(seed, index) {
  const g = tools(mulberry32(mixSeed(seed, index)));
  const s = { schema: 'streamlab/scenario@1', name: `gen-${seed}-${index}` };
  if (g.chance(0.3)) return edge(g, s);
  s.connect = g.weighted([
    [45, 'pipeline'],
    [25, 'pipe'],
    [30, 'write-loop'],
  ]);
  let chunkBytes = 1; // rough byte size of one chunk, to pick a throttle rate
  if (s.connect === 'write-loop') {
    s.sink = {};
    setHwm(g, s.sink);
    const objectMode = setObjectMode(g, s.sink, 0.25);
    setDelay(g, s.sink, 'delayMs', 0.25);
    s.writeLoop = { items: randomCount(g), chunk: randomChunk(g, objectMode), respectBackpressure: g.chance(0.6) };
    if (g.chance(0.15)) s.sink.failAt = g.int(1, s.writeLoop.items + 1);
    else if (g.chance(0.1)) s.sink.failAt = null;
  } else {
    s.source = {};
    s.source.chunks = randomCount(g);
    const objectMode = setObjectMode(g, s.source, 0.25);
    s.source.chunk = randomChunk(g, objectMode);
    const c = s.source.chunk;
    chunkBytes = 'bytes' in c ? c.bytes : 'text' in c ? Buffer.byteLength(c.text.replace(/\{[ni]\}/g, '00')) : 1;
    setHwm(g, s.source);
    setDelay(g, s.source, 'readDelayMs', 0.55);
    const count = g.weighted([
      [30, 0],
      [35, 1],
      [20, 2],
      [15, 3],
    ]);
    if (count > 0 || g.chance(0.1)) s.transforms = [];
    for (let i = 0; i < count; i++) {
      const t = {};
      setHwm(g, t);
      const tObject = setObjectMode(g, t, 0.2);
      if (g.chance(0.12)) {
        // Throttle: a chunk every few ms (chunks per second in object mode); odd rates give
        // fractional due times.
        const perChunkMs = g.pick([1, 2.5, 3, 7, 10, 20]);
        const unit = tObject ? 1 : Math.max(chunkBytes, 1);
        t.throttleBytesPerSec = g.chance(0.3)
          ? Math.round((unit * 1000) / perChunkMs) + g.int(1, 9)
          : (unit * 1000) / perChunkMs;
        if (g.chance(0.2)) t.delayMs = null;
      } else {
        setDelay(g, t, 'delayMs', 0.45);
        if (g.chance(0.1)) t.throttleBytesPerSec = null;
      }
      s.transforms.push(t);
    }
    s.sink = {};
    setHwm(g, s.sink);
    setObjectMode(g, s.sink, 0.25);
    setDelay(g, s.sink, 'delayMs', 0.35);
    if (g.chance(0.15)) s.sink.failAt = g.int(1, s.source.chunks + 1);
    else if (g.chance(0.1)) s.sink.failAt = null;
  }
  if (g.chance(0.3)) {
    const throttled = (s.transforms || []).some((t) => t.throttleBytesPerSec);
    s.sampleEveryMs = throttled ? g.pick([50, 100, 250]) : g.pick([1, 2, 5, 7, 10, 25, 100]);
  }
  const node = g.weighted([
    [80, undefined],
    [10, 20],
    [10, 22],
  ]);
  if (node !== undefined) s.node = node;
  return s;
}

function parseArgs(argv) {
  const o = { seed: null, count: 1, out: null, start: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--seed') o.seed = v();
    else if (a === '--count') o.count = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--start') o.start = Number(v());
    else throw new Error(`unknown option ${a}`);
  }
  if (o.seed === null || !o.out || !(Number.isInteger(o.count) && o.count >= 0) || !Number.isInteger(o.start)) {
    throw new Error('usage: node generate.mjs --seed S --count N --out DIR [--start I]');
  }
  return o;
}

// Writes scenarios seed/start.. into dir and returns their paths.
export function writeScenarios(seed, count, dir, start = 0) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = start; i < start + count; i++) {
    const file = join(dir, `gen-${seed}-${i}.json`);
    writeFileSync(file, `${JSON.stringify(generate(seed, i), null, 2)}\n`);
    files.push(file);
  }
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const files = writeScenarios(o.seed, o.count, o.out, o.start);
    console.log(`wrote ${files.length} scenarios to ${o.out}`);
  } catch (e) {
    console.error(e.message);
    process.exitCode = 2;
  }
}
