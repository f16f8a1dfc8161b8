// The code lab lets go of what a program no longer holds: 1 GiB in 1,024 Buffers of 1 MiB
// passes through a pipeline under a 600 MB address-space limit (ulimit -v), as it does in Node.
// Before the engine swept by bytes and collected after many of them, the run held every chunk
// and failed to allocate at about the 570th.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(ROOT, 'tests/programs/memory/large-chunks-let-go.mjs');
// STREAMLAB_EXEC: a streamlab-exec built elsewhere, used as it is.
if (!process.env.STREAMLAB_EXEC) {
  execFileSync('cargo', ['build', '-q', '-p', 'streamlab-js', '--bin', 'streamlab-exec'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const EXEC = process.env.STREAMLAB_EXEC || join(ROOT, 'target/debug/streamlab-exec');

test('1 GiB of 1 MiB chunks runs in 600 MB: chunks nobody holds are let go', { timeout: 120000 }, () => {
  const r = spawnSync('bash', ['-c', 'ulimit -v 600000 && exec "$0" --no-trace "$1"', EXEC, FILE], {
    encoding: 'utf8',
  });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'done  1025\n');
  assert.equal(r.status, 0);
});
