// A run's output beside a lesson's Expected Output, line by line. The lesson writes the values a
// run decides as placeholders in angle brackets ("Times _read() was called: <number>"); a
// placeholder stands for any text that is not empty, everything else must be equal.
//
//   compareLines(runText, expectedText) -> [{ n, expected, actual, kind }]
//   kind: 'same' (equal), 'filled' (equal once the placeholders are filled), 'differs',
//   'missing' (the run printed fewer lines), 'extra' (the run printed more)

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER = /<[^<>\n]+>/g;

// The regular expression a line of Expected Output stands for, or null when it has no
// placeholder.
export function linePattern(line) {
  if (!PLACEHOLDER.test(line)) return null;
  PLACEHOLDER.lastIndex = 0;
  const parts = line.split(PLACEHOLDER).map(escapeRe);
  return new RegExp(`^${parts.join('.+?')}$`);
}

// Text as lines, without the empty line a final newline leaves.
export function linesOf(text) {
  const lines = String(text).split('\n');
  if (lines.length && lines.at(-1) === '') lines.pop();
  return lines;
}

export function compareLines(actualText, expectedText) {
  const actual = linesOf(actualText);
  const expected = linesOf(expectedText);
  const rows = [];
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const e = expected[i];
    const a = actual[i];
    let kind;
    if (e === undefined) kind = 'extra';
    else if (a === undefined) kind = 'missing';
    else if (a === e) kind = 'same';
    else kind = linePattern(e)?.test(a) ? 'filled' : 'differs';
    rows.push({ n: i + 1, expected: e ?? null, actual: a ?? null, kind });
  }
  return rows;
}

// One sentence for the rows: how many lines agree, and the first that does not.
export function summary(rows) {
  const agree = rows.filter((r) => r.kind === 'same' || r.kind === 'filled').length;
  const filled = rows.filter((r) => r.kind === 'filled').length;
  const first = rows.find((r) => r.kind !== 'same' && r.kind !== 'filled');
  const head = `${agree} of ${rows.length} lines match the Expected Output (${filled} with the run's values in its <placeholders>)`;
  if (!first) return { ok: true, text: `${head}.` };
  const what = { differs: 'differs', missing: 'is missing from the run', extra: 'is extra' }[first.kind];
  return { ok: false, text: `${head}; line ${first.n} ${what}.` };
}
