// The "Run the lesson's code" panel's line-by-line comparison (www/code/expected-output.js), and
// the lesson's own claim: what real Node prints for the lesson's Experiment has the shape of
// the lesson's Expected Output, line for line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareLines, linePattern, summary } from '../../www/code/expected-output.js';
import { runNode } from './program-oracle.mjs';

const lesson = (name) => fileURLToPath(new URL(`../../www/lessons/${name}`, import.meta.url));

test('a placeholder stands for any text that is not empty, the rest must be equal', () => {
  const p = linePattern('  Drain events: <number>');
  assert.ok(p.test('  Drain events: 4'));
  assert.ok(!p.test('  Drain events: '));
  assert.ok(!p.test('Drain events: 4'));
  assert.equal(linePattern('Items written: 30'), null);
  assert.ok(linePattern('  hwm=   64: <ms>').test('  hwm=   64: 0.0ms'));
  // Characters a regular expression gives meaning to are literal in the lesson's text.
  assert.ok(linePattern('(a+b) <x>').test('(a+b) 1'));
  assert.ok(!linePattern('(a+b) <x>').test('aab 1'));
});

test('rows say which lines agree, differ, are missing or are extra', () => {
  const rows = compareLines('a\nn: 3\nc\nd\n', 'a\nn: <n>\nC\n');
  assert.deepEqual(
    rows.map((r) => r.kind),
    ['same', 'filled', 'differs', 'extra'],
  );
  assert.equal(rows[3].expected, null);
  assert.deepEqual(
    compareLines('a\n', 'a\nb\n').map((r) => r.kind),
    ['same', 'missing'],
  );
  const s = summary(rows);
  assert.equal(s.ok, false);
  assert.match(s.text, /^2 of 4 lines match .*line 3 differs\.$/);
  assert.equal(summary(compareLines('x 1\n', 'x <n>\n')).ok, true);
});

test("real Node's output of the lesson's Experiment matches the lesson's Expected Output", () => {
  const run = runNode(lesson('backpressure-experiment.mjs'));
  assert.equal(run.code, 0, run.stderr);
  const rows = compareLines(run.stdout, readFileSync(lesson('backpressure-expected.txt'), 'utf8'));
  const s = summary(rows);
  assert.ok(s.ok, `${s.text}\n${JSON.stringify(rows.filter((r) => r.kind !== 'same' && r.kind !== 'filled'))}`);
  assert.ok(rows.length >= 40, `the Expected Output has the lesson's lines (${rows.length})`);
});
