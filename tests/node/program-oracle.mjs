// The program oracle: runs a program file under real Node 20 with the virtual clock of
// program-clock.cjs (see there why), and gives its stdout, stderr and exit code.
//   node tests/node/program-oracle.mjs PROGRAM.mjs|PROGRAM.cjs   prints them as Node would
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runAsync } from './program-compare.mjs';

const CLOCK = fileURLToPath(new URL('./program-clock.cjs', import.meta.url));
const ARGS = (file) => ['--require', CLOCK, file];
const OPTIONS = { env: { ...process.env, TZ: 'UTC', NODE_OPTIONS: '' }, timeout: 30000 };

export function runNode(file) {
  const r = spawnSync(process.execPath, ARGS(file), { ...OPTIONS, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

// The same, without blocking: for running several programs at once.
export function runNodeAsync(file) {
  return runAsync(process.execPath, ARGS(file), OPTIONS);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = runNode(process.argv[2]);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
