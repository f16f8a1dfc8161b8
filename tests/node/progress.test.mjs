// Challenge progress as read back from localStorage (www/challenges/progress.js): only the
// boolean true counts as passed, and malformed fields are dropped one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as P from '../../www/challenges/progress.js';

// A stand-in for localStorage holding `text` under the progress key.
function storage(text) {
  const m = new Map(text === undefined ? [] : [[P.KEY, text]]);
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), text: () => m.get(P.KEY) };
}
const stored = (challenges, version = 1) => JSON.stringify({ version, challenges });

test('only the boolean true counts as passed', () => {
  for (const passed of ['false', 'true', 1, 'yes', {}, [], null]) {
    const s = storage(stored({ 'large-file': { passed, passedAt: '2024-05-01T10:00:00.000Z' } }));
    const g = P.get('large-file', s);
    assert.equal(g.passed, false, JSON.stringify(passed));
    assert.equal(g.passedAt, null, JSON.stringify(passed));
  }
  const ok = P.get(
    'large-file',
    storage(stored({ 'large-file': { passed: true, passedAt: '2024-05-01T10:00:00.000Z' } })),
  );
  assert.deepEqual(ok, { passed: true, passedAt: '2024-05-01T10:00:00.000Z', hints: 0, form: null });
});

test('the default storage is localStorage, read the same way', () => {
  const s = storage(stored({ throttle: { passed: 'false' } }));
  globalThis.localStorage = s;
  try {
    assert.equal(P.get('throttle').passed, false);
  } finally {
    delete globalThis.localStorage;
  }
});

test('malformed fields are dropped field by field; the good ones stay', () => {
  const s = storage(
    stored({
      'large-file': {
        passed: true,
        passedAt: 'yesterday',
        hints: '3',
        form: { fileMiB: '2048', chunkKiB: 64, sinkMs: { x: 1 }, method: 'pipeline', huge: 'x'.repeat(5000) },
      },
      throttle: { passed: false, hints: 2, form: ['1'] },
      narrow: { hints: -1, form: 'text' },
      broken: 'not an object',
      listy: [1, 2],
    }),
  );
  assert.deepEqual(P.get('large-file', s), {
    passed: true,
    passedAt: null,
    hints: 0,
    form: { fileMiB: '2048', method: 'pipeline' },
  });
  assert.deepEqual(P.get('throttle', s), { passed: false, passedAt: null, hints: 2, form: null });
  assert.deepEqual(P.get('narrow', s), { passed: false, passedAt: null, hints: 0, form: null });
  assert.deepEqual(Object.keys(P.load(s).challenges).sort(), ['large-file', 'narrow', 'throttle']);
  for (const h of [1.5, Number.NaN, 1e300]) {
    assert.equal(P.get('x', storage(stored({ x: { hints: h } }))).hints, 0, String(h));
  }
});

test('a whole record that is malformed reads as no progress', () => {
  for (const text of [
    '{',
    'null',
    '"x"',
    '[]',
    stored({}, 2),
    stored([]),
    stored('x'),
    JSON.stringify({ version: 1 }),
  ]) {
    assert.deepEqual(P.load(storage(text)), { version: 1, challenges: {} }, text);
    assert.equal(P.get('large-file', storage(text)).passed, false, text);
  }
});

test('"__proto__" keys change no prototype', () => {
  const text = '{"version":1,"challenges":{"__proto__":{"passed":true},"x":{"passed":true,"form":{"__proto__":"y"}}}}';
  const data = P.load(storage(text));
  assert.equal(Object.getPrototypeOf(data.challenges), Object.prototype);
  assert.equal(P.get('toString', storage(text)).passed, false);
  assert.equal(P.get('x', storage(text)).passed, true);
  assert.equal({}.passed, undefined);
});

test('update and markPassed write back only well-formed data', () => {
  const s = storage(stored({ 'large-file': { passed: 'false', hints: 'many', form: { fileMiB: '1' } } }));
  P.update('large-file', { hints: 2 }, s);
  assert.deepEqual(JSON.parse(s.text()), {
    version: 1,
    challenges: { 'large-file': { hints: 2, form: { fileMiB: '1' } } },
  });
  const after = P.markPassed('large-file', s);
  assert.equal(after.passed, true);
  assert.match(after.passedAt, /^\d{4}-\d{2}-\d{2}T/);
  P.clear('large-file', s);
  assert.deepEqual(JSON.parse(s.text()), { version: 1, challenges: {} });
});

test('storage that throws: progress lives in memory', () => {
  const bad = {
    getItem() {
      throw new Error('SecurityError');
    },
    setItem() {
      throw new Error('QuotaExceededError');
    },
  };
  P.update('throttle', { hints: 1 }, bad);
  assert.equal(P.get('throttle', bad).hints, 1);
});

// The code step's stored pass: a program and the digest of its run, re-run by the page
// before it says "Passed"; stored data claims nothing by itself.
const DIGEST = 'ab'.repeat(32);

test('a stored code pass is kept only with a program and a SHA-256 digest', () => {
  const good = { source: 'console.log(1);\n', digest: DIGEST, passedAt: '2024-05-01T10:00:00.000Z' };
  assert.deepEqual(P.saneCode(good), good);
  for (const bad of [
    { passed: true },
    { ...good, source: '' },
    { ...good, source: '   \n' },
    { ...good, source: 42 },
    { ...good, source: 'x'.repeat(P.MAX_CODE_CHARS + 1) },
    { ...good, digest: 'abc' },
    { ...good, digest: DIGEST.toUpperCase() },
    { ...good, digest: undefined },
    'console.log(1)',
    [good],
  ]) {
    assert.equal(P.saneCode(bad), null, JSON.stringify(bad).slice(0, 80));
    const s = storage(stored({ throttle: { passed: true, code: bad } }));
    assert.equal(P.getCode('throttle', s).code, null);
    assert.equal(P.get('throttle', s).passed, true); // the explore step's pass is its own
  }
  // A bad date is dropped, the rest kept; answers keep option ids only.
  assert.deepEqual(
    P.saneCode({ ...good, passedAt: 'yesterday', answers: { throughput: 'same', why: '<b>', other: 'x' } }),
    { source: good.source, digest: DIGEST, answers: { throughput: 'same' } },
  );
  assert.deepEqual(P.getCode('narrow-transform', storage(stored({ 'narrow-transform': { codeHints: -1 } }))), {
    code: null,
    hints: 0,
  });
});

test("each step's Reset clears its own progress only", () => {
  const code = { source: 'x;\n', digest: DIGEST };
  const s = storage(stored({ throttle: { passed: true, hints: 2, codeHints: 3, code } }));
  P.clear('throttle', s);
  assert.deepEqual(JSON.parse(s.text()).challenges, { throttle: { codeHints: 3, code } });
  assert.equal(P.get('throttle', s).passed, false);
  assert.deepEqual(P.getCode('throttle', s), { code, hints: 3 });
  P.update('throttle', { passed: true, hints: 1 }, s);
  P.clearCode('throttle', s);
  assert.deepEqual(JSON.parse(s.text()).challenges, { throttle: { passed: true, hints: 1 } });
  P.clear('throttle', s);
  assert.deepEqual(JSON.parse(s.text()).challenges, {});
});
