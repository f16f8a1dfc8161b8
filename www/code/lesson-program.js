// "Run the lesson's code": a lesson's whole program (its Experiment, unchanged) in a Code view,
// and its run's output line by line beside the lesson's Expected Output (expected-output.js).
// The lesson block names both files, which live beside the lesson:
//
//   ```streamlab
//   program: backpressure-experiment.mjs
//   expected: backpressure-expected.txt
//   ```
//
// Nothing loads until the learner opens the panel: the code, the editor and the engine come
// then, so the page's first load carries none of them. The root carries data-program (the file)
// and, after a run, data-match ("all" or "some").
import { h, fill } from '../dom.js';
import { compareLines, linesOf, summary } from './expected-output.js';
import { PROGRAM_NAME, EXPECTED_NAME } from './program-names.js';

const LESSONS = new URL('../lessons/', import.meta.url);
const lazy = (path) => import(new URL(path, import.meta.url).href);

async function fetchText(name) {
  const url = new URL(name, LESSONS);
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`${name} could not be fetched (${err.message})`);
  }
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.text();
}

export function mountLessonProgram(root, file, { expected = null, title = "Run the lesson's code" } = {}) {
  if (!PROGRAM_NAME.test(file)) throw new Error('program: a file name beside the lesson, such as experiment.mjs');
  if (expected !== null && !EXPECTED_NAME.test(expected))
    throw new Error('expected: a .txt file name beside the lesson, such as expected.txt');
  root.classList.add('lesson-program');
  root.dataset.program = file;
  const body = h('div', { class: 'code-view', 'data-code-view': '' });
  // Keys typed in the editor are the learner's, not the page's shortcuts.
  body.addEventListener('keydown', (e) => e.stopPropagation());
  const compare = h('div', { class: 'expected-compare' });
  const details = h(
    'details',
    { class: 'exp-code' },
    h('summary', {}, `${title} (${file}, unchanged from the lesson)`),
    body,
  );
  fill(root, details);

  let mounting = null;
  const mount = () => {
    mounting ??= Promise.all([fetchText(file), expected ? fetchText(expected) : null, lazy('./code-view.js')])
      .then(async ([source, expectedText, { mountCodeView }]) => {
        const view = await mountCodeView(body, { source, filename: file, belowOutput: compare });
        if (expectedText !== null) {
          showComparison(compare, null, expectedText);
          body.addEventListener('streamlab:program', (e) => {
            const rows = showComparison(compare, e.detail.result, expectedText);
            root.dataset.match = summary(rows).ok ? 'all' : 'some';
          });
        }
        return view;
      })
      .catch((err) => {
        mounting = null;
        fill(body, h('p', { class: 'code-error', role: 'alert' }, `The lesson's code could not load: ${err.message}`));
        throw err;
      });
    return mounting;
  };
  details.addEventListener('toggle', () => {
    if (details.open) mount().catch(() => {});
  });
  return {
    root,
    open() {
      details.open = true;
      return mount();
    },
  };
}

const KIND_LABEL = {
  same: 'same',
  filled: 'same shape, values from this run',
  differs: 'differs',
  missing: 'not printed',
  extra: 'not in the Expected Output',
};

// The Expected Output beside the run's stdout, one row per line. Before a run, the Expected
// Output alone.
function showComparison(el, result, expectedText) {
  const stdout = result
    ? result.output
        .filter((o) => o.stream === 'stdout')
        .map((o) => o.text)
        .join('')
    : null;
  const rows =
    stdout === null
      ? linesOf(expectedText).map((e, i) => ({ n: i + 1, expected: e, actual: null, kind: 'waiting' }))
      : compareLines(stdout, expectedText);
  const verdict = stdout === null ? null : summary(rows);
  fill(
    el,
    h('h4', {}, "The lesson's Expected Output beside this run"),
    h(
      'p',
      { class: 'hint' },
      "Values in <angle brackets> are the ones a run decides. Times the program measures are virtual here (0.0ms when no stream waits for a timer); under real Node they are your machine's.",
    ),
    verdict
      ? h('p', { class: 'compare-verdict', role: 'status', dataset: { kind: verdict.ok ? 'ok' : 'bad' } }, verdict.text)
      : h('p', { class: 'compare-verdict', role: 'status' }, 'Press Run to fill in the right-hand column.'),
    h(
      'div',
      // A keyboard can scroll it sideways on a phone.
      { class: 'compare-scroll', tabindex: '0', role: 'region', 'aria-label': 'Expected Output and this run' },
      h(
        'table',
        { class: 'compare-lines' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'line'),
            h('th', { scope: 'col' }, 'Expected Output (the lesson)'),
            h('th', { scope: 'col' }, 'This run'),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              { dataset: { kind: r.kind }, title: KIND_LABEL[r.kind] ?? null },
              h('td', { class: 'n' }, String(r.n)),
              h('td', {}, h('code', {}, r.expected ?? '')),
              h(
                'td',
                {},
                h('code', {}, r.actual ?? ''),
                r.kind === 'differs' ? h('span', { class: 'visually-hidden' }, ' (differs)') : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return rows;
}
