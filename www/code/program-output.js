// A program's output as the Code view shows it: each line with the virtual time it was written
// at, stdout and stderr styled apart, and every `FILE:LINE[:COL]` that names the program turned
// into a button that takes the editor to that place. Text is only ever set as text.
import { h } from '../dom.js';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The places in `text` that name the program `filename`: [{ index, length, line, col }].
// A place without a column takes it from a caret line two lines further down (Node's
// syntax-error report: "main.mjs:2", the source line, "        ^").
export function findLocations(text, filename) {
  const re = new RegExp(`(?:file:\\/\\/\\/?)?${escapeRe(filename)}:(\\d+)(?::(\\d+))?`, 'g');
  const found = [];
  for (const m of text.matchAll(re)) {
    let col = m[2] ? Number(m[2]) : null;
    if (col === null) {
      const after = text.slice(m.index + m[0].length).split('\n');
      const caret = after.length > 2 && /^(\s*)\^+\s*$/.exec(after[2]);
      col = caret ? caret[1].length + 1 : 1;
    }
    found.push({ index: m.index, length: m[0].length, line: Number(m[1]), col });
  }
  return found;
}

// The first place an error report names (for marking the editor when a run fails).
export function firstLocation(result, filename) {
  const texts = [
    ...(result?.output ?? []).filter((o) => o.stream === 'stderr').map((o) => o.text),
    result?.message ?? '',
  ];
  for (const t of texts) {
    const [loc] = findLocations(String(t), filename);
    if (loc) return loc;
  }
  return null;
}

// Text with its places as buttons: onLocation(line, col) when one is pressed.
function linked(text, filename, onLocation) {
  const out = [];
  let at = 0;
  for (const loc of findLocations(text, filename)) {
    out.push(text.slice(at, loc.index));
    const label = text.slice(loc.index, loc.index + loc.length);
    out.push(
      h(
        'button',
        {
          type: 'button',
          class: 'code-loc',
          dataset: { line: String(loc.line), col: String(loc.col) },
          'aria-label': `${label}: show line ${loc.line} in the editor`,
          onclick: () => onLocation(loc.line, loc.col),
        },
        label,
      ),
    );
    at = loc.index + loc.length;
  }
  out.push(text.slice(at));
  return out;
}

// One row per line of output. A chunk of text may hold several lines (one console.log of a
// multi-line value, an error report): its first line shows the time.
export function outputRows(output, filename, onLocation) {
  const rows = [];
  for (const o of output ?? []) {
    const stream = o.stream === 'stderr' ? 'stderr' : 'stdout';
    const lines = String(o.text).split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, k) => {
      rows.push(
        h(
          'div',
          { class: `out-line ${stream}`, dataset: { t: String(o.t), stream } },
          // The time once per write; the lines after it in the same write carry it in data-t.
          h('span', { class: 'out-t' }, k ? '' : `${o.t} ms`),
          h('span', { class: 'out-text' }, linked(line, filename, onLocation)),
        ),
      );
    });
  }
  return rows;
}

const EXIT_MEANING = {
  0: 'finished',
  1: 'an uncaught error',
  2: 'a syntax error or a module Streamlab does not have',
  3: 'a limit of the runner',
  13: 'a top-level await that never settled',
};

// The closing line: how the program ended, with the engine's message unless the program's
// stderr already shows it (Node's error report is both).
export function exitLine(result, filename, onLocation) {
  const code = result?.exitCode;
  const meaning = EXIT_MEANING[code] ?? 'process.exit()';
  const ok = code === 0;
  const stderr = (result?.output ?? [])
    .filter((o) => o.stream === 'stderr')
    .map((o) => o.text)
    .join('');
  const message = String(result?.message ?? '').trim();
  const shown = message && !stderr.includes(message);
  return h(
    'p',
    { class: `out-exit ${ok ? 'ok' : 'bad'}`, dataset: { exitCode: String(code) } },
    `Exit code ${code} (${meaning}) at ${result?.endedAt ?? 0} ms virtual`,
    shown ? [': ', linked(message, filename, onLocation)] : '.',
  );
}
