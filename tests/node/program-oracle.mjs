// The program oracle: runs a program file under real Node 20 with the virtual clock of
// program-clock.mjs (see there why), and gives its stdout, stderr and exit code.
//   node tests/node/program-oracle.mjs PROGRAM.mjs|PROGRAM.cjs   prints them as Node would
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLOCK = fileURLToPath(new URL('./program-clock.cjs', import.meta.url));

export function runNode(file) {
  const r = spawnSync(process.execPath, ['--require', CLOCK, file], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', NODE_OPTIONS: '' },
    timeout: 30000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = runNode(process.argv[2]);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
