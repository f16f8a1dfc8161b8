'use strict';
// A deliberately wrong runner, to prove that the differential test catches differences:
// it runs the oracle on the scenario and then damages the result in one of several ways,
// chosen by a hash of the scenario's file name (about one scenario in six is left intact).
//
//   node tests/node/mutant-runner.cjs SCENARIO.json
//
// It prints the kind of damage on stderr, so a test can check that the damaged ones (and
// only those) fail.

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const file = process.argv[2];
const r = spawnSync(process.execPath, ['--expose-internals', path.join(__dirname, 'oracle.cjs'), file], {
  encoding: 'utf8',
  maxBuffer: Infinity,
});
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
const result = JSON.parse(r.stdout);

let h = 0;
for (const ch of path.basename(file)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
const trace = result.trace;
const mutations = [
  ['none', () => true],
  [
    'summary.consumed + 1',
    () => {
      result.summary.consumed += 1;
      return true;
    },
  ],
  [
    'last ret flipped',
    () => {
      for (let i = trace.length - 1; i >= 0; i--) {
        if ('ret' in trace[i]) {
          trace[i].ret = !trace[i].ret;
          return true;
        }
      }
      return false;
    },
  ],
  [
    'two events swapped',
    () => {
      for (let i = Math.floor(trace.length / 2); i + 1 < trace.length; i++) {
        if (JSON.stringify(trace[i]) !== JSON.stringify(trace[i + 1])) {
          [trace[i], trace[i + 1]] = [trace[i + 1], trace[i]];
          return true;
        }
      }
      return false;
    },
  ],
  [
    'one event dropped',
    () => {
      if (trace.length === 0) return false;
      trace.splice(Math.floor(trace.length / 3), 1);
      return true;
    },
  ],
  [
    'sample total + 1',
    () => {
      if (result.samples.length === 0) return false;
      result.samples.at(-1).total += 1;
      return true;
    },
  ],
];
let [name, mutate] = mutations[h % mutations.length];
if (!mutate()) {
  name = 'summary.endedAtMs + 1';
  result.summary.endedAtMs += 1;
}
process.stderr.write(`mutant-runner: ${name}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
