// embed.html's command coalescing (www/embed/messages.js): a flood of posted commands is
// applied once per turn, the latest winning, a restart kept, steps in a row added up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce } from '../../www/embed/messages.js';

function harness(opts) {
  const applied = [];
  const turns = [];
  const push = coalesce(
    (name, count) => applied.push([name, count]),
    (fn) => turns.push(fn),
    opts,
  );
  const flush = () => {
    for (const fn of turns.splice(0)) fn();
  };
  return { push, applied, turns, flush };
}

test('20,000 restart/run commands cost one turn: a restart, then the last run', () => {
  const h = harness();
  for (let k = 0; k < 20000; k++) h.push(k % 2 ? 'run' : 'restart');
  assert.equal(h.turns.length, 1);
  h.flush();
  assert.deepEqual(h.applied, [
    ['restart', 1],
    ['run', 1],
  ]);
});

test('the latest wins; a restart drops what came before it', () => {
  const h = harness();
  h.push('play');
  h.push('pause');
  h.flush();
  h.push('run');
  h.push('restart');
  h.flush();
  h.push('restart');
  h.push('step');
  h.push('play');
  h.flush();
  assert.deepEqual(h.applied, [
    ['pause', 1],
    ['restart', 1],
    ['restart', 1],
    ['play', 1],
  ]);
});

test('steps in a row add up, to at most maxSteps', () => {
  const h = harness({ maxSteps: 10 });
  for (let k = 0; k < 3; k++) h.push('step');
  h.flush();
  for (let k = 0; k < 50; k++) h.push('step');
  h.flush();
  h.push('step');
  h.push('pause');
  h.push('step');
  h.flush();
  assert.deepEqual(h.applied, [
    ['step', 3],
    ['step', 10],
    ['step', 1],
  ]);
});
