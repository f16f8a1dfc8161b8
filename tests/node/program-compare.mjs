// What "runs as in Node 20" means for a code-lab program, shared by program-differential and
// program-streams: stdout, stderr and the exit code equal once the program's path is written
// as its file name and stack frames ("    at …") and stderr's caret line are left out (Boa's
// frames and positions are not V8's: Boa points at `new Error`, V8 at `throw`).
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

export function normalize(text, file) {
  return text
    .replaceAll(`file://${file}`, basename(file))
    .replaceAll(file, basename(file))
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) && !/^\s*\^\s*$/.test(l))
    .join('\n');
}

// The first way `ours` differs from `node` (a run is { stdout, stderr, code }), or null when
// they agree: the stream (or exit code) and, for text, the first differing line of each.
export function difference(ours, node, file) {
  for (const key of ['stdout', 'stderr']) {
    const a = normalize(ours[key] ?? '', file).split('\n');
    const b = normalize(node[key] ?? '', file).split('\n');
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) {
        return `${key} line ${i + 1}: Node wrote ${JSON.stringify(b[i] ?? '(nothing)')}, streamlab-exec wrote ${JSON.stringify(a[i] ?? '(nothing)')}`;
      }
    }
  }
  if (ours.code !== node.code) return `exit code: Node ${node.code}, streamlab-exec ${ours.code}`;
  return null;
}

// difference(), followed by the error streamlab-exec reported on stderr when that is not
// what Node wrote there (a failure on stdout is often explained by an error on stderr): its
// error line ("TypeError: …"), past the location and source lines printed above it.
export function explainDifference(ours, node, file) {
  const diff = difference(ours, node, file);
  if (diff === null || diff.startsWith('stderr')) return diff;
  const oursErr = normalize(ours.stderr ?? '', file);
  if (oursErr === normalize(node.stderr ?? '', file) || oursErr.trim() === '') return diff;
  const lines = oursErr.split('\n').filter((l) => l.trim() !== '');
  const error = lines.find((l) => /^(\w*Error\b|Uncaught\b)|\[ERR_/.test(l)) ?? lines[0];
  return `${diff}; streamlab-exec's stderr: ${JSON.stringify(error)}`;
}

// Runs a command to its end without blocking the event loop: { stdout, stderr, code } as
// spawnSync gives them (code null when it was killed, e.g. at `timeout` ms).
export function runAsync(command, args, { env, timeout } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', (err) => {
      stderr += `could not run ${command}: ${err.message}\n`;
    });
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
