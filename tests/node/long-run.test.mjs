// A valid scenario past the old untraced event budget (100,000,000 events): 10,000,000 one-byte
// chunks through 2 transforms. With the trace off a run is bounded by wall time, not by its
// event count, so it finishes, and its summary is real Node's (which takes about 30 s here).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runner = join(root, 'target/release/streamlab');

const scenario = {
  schema: 'streamlab/scenario@1',
  connect: 'pipeline',
  source: { chunks: 10_000_000, chunk: { bytes: 1 } },
  transforms: [{}, {}],
  sink: {},
};

test('10,000,000 chunks through 2 transforms, trace off: the runner finishes with Node’s summary', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'streamlab-long-')), 'long.json');
  writeFileSync(file, JSON.stringify(scenario));
  const ours = spawnSync(runner, ['run', '--no-trace', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  assert.equal(ours.status, 0, ours.stderr);
  const node = spawnSync(
    process.execPath,
    ['--expose-internals', join(root, 'tests/node/oracle.cjs'), '--no-trace', file],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  assert.equal(node.status, 0, node.stderr);
  const got = JSON.parse(ours.stdout).summary;
  assert.deepEqual(got, JSON.parse(node.stdout).summary);
  assert.equal(got.produced, 10_000_000);
});

test('the time budget stops an untraced run with exit 3 and says how to raise it', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'streamlab-long-')), 'long.json');
  writeFileSync(file, JSON.stringify(scenario));
  const r = spawnSync(runner, ['run', '--no-trace', '--max-seconds', '0.2', file], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /past the runner's time budget of 0\.2 s .*--max-seconds N/);
});
