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

// The streams' trace: streamlab-exec's result@1 (`--trace-out`) against program-trace.cjs's
// record of real Node. Events on process.stdout and process.stderr are left out (Node's are its
// own sockets, not the program's streams). Where a side kept only the first events (its cap),
// the other must begin with them. The first differing event, with a few events of context from
// each side, or null when they agree.
const STDIO = new Set(['process.stdout', 'process.stderr']);
const CONTEXT = 3;

function canonical(e) {
  return JSON.stringify(Object.fromEntries(Object.entries(e).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

export function traceDifference(ours, node) {
  const a = ours.trace.filter((e) => !STDIO.has(e.stream));
  const b = node.trace;
  const aCut = ours.traceTruncated === true;
  const bCut = node.truncated === true;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.length && aCut) return null;
    if (i >= b.length && bCut) return null;
    if (i < a.length && i < b.length && canonical(a[i]) === canonical(b[i])) continue;
    const show = (list, cut) => {
      const lines = [];
      for (let k = Math.max(0, i - CONTEXT); k <= Math.min(list.length - 1, i + CONTEXT); k++) {
        lines.push(`${k === i ? '>' : ' '} ${k + 1}: ${JSON.stringify(list[k])}`);
      }
      if (i >= list.length) lines.push(`> ${i + 1}: (no more events${cut ? ', cut at the cap' : ''})`);
      return lines.join('\n');
    };
    return (
      `trace event ${i + 1} (Node recorded ${b.length}${bCut ? '+' : ''}, streamlab-exec ${a.length}${aCut ? '+' : ''}):\n` +
      `Node:\n${show(b, bCut)}\nstreamlab-exec:\n${show(a, aCut)}`
    );
  }
  return null;
}
