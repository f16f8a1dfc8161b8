// www/embed/state.js and messages.js: state round-trips through the fragment; anything that
// is not exactly what a parameter allows is reported and left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeState,
  readLocation,
  readParams,
  toBase64Url,
  fromBase64Url,
  readOrigin,
} from '../../www/embed/state.js';
import { commandOf, message } from '../../www/embed/messages.js';

const scenario = {
  schema: 'streamlab/scenario@1',
  name: 'ünïcode ✓ <b>',
  connect: 'pipeline',
  source: { chunks: 3, chunk: { text: 'é{n}\n' } },
  sink: { delayMs: 1 },
};

test('a whole state round-trips through the fragment', () => {
  const hash = encodeState({
    scenario,
    view: { mode: 'instant', speed: 'slow', x: 'time', at: 12, theme: 'dark', controls: ['run', 'output'] },
  });
  const { options, problems } = readLocation('', `#${hash}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(options, {
    scenario,
    mode: 'instant',
    speed: 'slow',
    x: 'time',
    at: 12,
    theme: 'dark',
    controls: ['run', 'output'],
  });
  assert.equal(fromBase64Url(toBase64Url('✓ <é>')), '✓ <é>');
});

test('the fragment wins over the query', () => {
  const { options } = readLocation('?scenario=object-mode&mode=live', '#mode=instant');
  assert.deepEqual(options, { scenario: 'object-mode', mode: 'instant' });
});

test('hostile values are reported, never kept', () => {
  const p = new URLSearchParams({
    scenario: '../secret',
    challenge: '<img src=x onerror=alert(1)>',
    controls: 'run,<svg>',
    mode: 'javascript:alert(1)',
    theme: 'red',
    height: '100px;background:url(x)',
    origin: 'javascript:alert(1)',
    id: '<b>',
    at: '-1',
    s: 'e30',
  });
  const { options, problems } = readParams(p);
  assert.deepEqual(options, {});
  assert.equal(problems.length, 10);
  assert.equal(readOrigin('https://user:pw@course.example/x'), null);
  assert.equal(readOrigin('*'), null);
  assert.equal(readOrigin('https://course.example/some/page?q'), 'https://course.example');
  assert.equal(fromBase64Url('not base64!'), null);
  assert.equal(fromBase64Url(`${toBase64Url('x').slice(0, 1)}/+`), null);
});

test('commands only from the parent at the declared origin', () => {
  const parent = {};
  const ok = { origin: 'https://course.example', source: parent, data: { target: 'streamlab', type: 'run' } };
  assert.equal(commandOf(ok, { origin: 'https://course.example', parent }), 'run');
  assert.equal(
    commandOf({ ...ok, origin: 'https://evil.example' }, { origin: 'https://course.example', parent }),
    null,
  );
  assert.equal(commandOf({ ...ok, source: {} }, { origin: 'https://course.example', parent }), null);
  assert.equal(commandOf(ok, { origin: undefined, parent }), null);
  assert.equal(
    commandOf({ ...ok, data: { target: 'streamlab', type: 'eval' } }, { origin: 'https://course.example', parent }),
    null,
  );
  assert.deepEqual(message('ready', null, { kind: 'experiment' }), {
    source: 'streamlab',
    version: 1,
    type: 'ready',
    id: null,
    kind: 'experiment',
  });
});

test("code= is kept only as base64url of a share link's size; anything else is named", () => {
  assert.equal(readLocation('', '#code=abc_-9').options.code, 'abc_-9');
  for (const bad of ['<script>', 'a b', '', 'A'.repeat(65537)]) {
    const { options, problems } = readLocation('', `#code=${encodeURIComponent(bad)}`);
    assert.equal(options.code, undefined, bad.slice(0, 10));
    assert.match(problems.join(), /^code: base64url text/);
  }
});
