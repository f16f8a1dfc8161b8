// The narrow-middle challenge in the page: a sweep over the transform's highWaterMark (each
// size traced once for its counts and its virtual time), a chart and a table of them, and
// two questions checked against that data.
import { h, fill } from '../dom.js';
import { loadCore } from '../core.js';
import { CoreSession } from '../run-worker.js';
import { challengePanel } from './panel.js';
import { numberField, choiceField } from './inputs.js';
import { linePlot } from './plot.js';
import { formatCount } from './format.js';
import { formatBytes } from '../units.js';
import * as N from './narrow.js';

// The sweep only counts its traces (never draws them): more events than a chart could take,
// enough for its largest input (20,000 chunks with an asynchronous transform).
const COUNTED_EVENTS = 500_000;

// One traced run per size: its counts and its virtual time. The browser's time to simulate
// it is not measured: it says nothing about Node. All of it in one Worker (run-worker.js):
// the page's main thread runs none of it, and a size past the counted-events cap is refused
// with a message saying which limit.
async function sweep(input) {
  const session = await CoreSession.open();
  try {
    const rows = [];
    for (const hwm of input.sizes) {
      const result = await session.run(N.scenarioFor(input, hwm), { trace: true, cap: COUNTED_EVENTS });
      rows.push(N.countRow(hwm, result));
    }
    return rows;
  } finally {
    session.close();
  }
}

export async function mountNarrow(root) {
  await loadCore(); // the validation and the page wait for the core
  const d = N.DEFAULTS;
  const fields = {
    sizes: numberField({
      name: 'sizes',
      label: 'Transform highWaterMarks to try',
      value: d.sizes,
      hint: 'bytes, separated by commas',
    }),
    chunks: numberField({
      name: 'chunks',
      label: 'Chunks from the source',
      value: d.chunks,
      hint: `up to ${formatCount(N.MAX_CHUNKS)}`,
    }),
    chunkBytes: numberField({ name: 'chunkBytes', label: 'Chunk size (bytes)', value: d.chunkBytes }),
    transformDelay: numberField({
      name: 'transformDelay',
      label: "Transform's time per chunk (ms)",
      value: d.transformDelay,
      hint: 'empty: calls back at once',
    }),
    sinkDelay: numberField({
      name: 'sinkDelay',
      label: "Sink's time per chunk (ms)",
      value: d.sinkDelay,
      hint: 'empty: calls back at once',
    }),
    throughput: choiceField({
      name: 'throughput',
      question: "As the transform's highWaterMark shrinks to the smallest size, what happens to throughput?",
      options: N.THROUGHPUT,
    }),
    why: choiceField({
      name: 'why',
      question: "Why? Pick the explanation the sweep's numbers support.",
      options: N.WHY,
    }),
  };
  const goal = [
    h(
      'p',
      {},
      'A fast source (it pushes inside _read()) and a fast sink, with one Transform between them whose highWaterMark you sweep from tiny to large. ' +
        'Run the sweep, read the counts, then say what a tiny highWaterMark does to throughput and why. The page checks your answer against the numbers of this sweep, so it holds for whatever setup you try.',
    ),
  ];
  let last = null; // { key, rows, input }
  let plot = null;
  const sweepBtn = h(
    'button',
    { type: 'button', dataset: { action: 'sweep' }, onclick: () => runSweep() },
    'Run the sweep',
  );
  const sweepStatus = h('span', { class: 'exp-status', role: 'status' });
  const sweepBox = h('div', { class: 'narrow-sweep' });

  async function runSweep(showErrors) {
    const { input, errors } = N.readInput(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.get()])));
    const mark = showErrors ?? panel.showFieldErrors;
    if (!mark(errors)) return null;
    const key = JSON.stringify(input);
    if (last?.key === key) return last;
    sweepBtn.disabled = true;
    sweepStatus.textContent = 'Sweeping…';
    try {
      last = { key, input, rows: await sweep(input) };
    } catch (err) {
      sweepStatus.textContent = `The core could not run it: ${err.message}`;
      sweepStatus.dataset.kind = 'bad';
      return null;
    } finally {
      sweepBtn.disabled = false;
    }
    sweepStatus.textContent = `Swept ${last.rows.length} sizes.`;
    sweepStatus.dataset.kind = 'ok';
    show(last.rows);
    root.dataset.sweep = JSON.stringify(last.rows);
    return last;
  }

  function show(rows) {
    plot?.destroy();
    fill(sweepBox);
    plot = linePlot(sweepBox, {
      title: 'Work and virtual time per transform highWaterMark',
      xLabel: 'transform highWaterMark',
      xValues: (_u, splits) => splits.map((k) => (Number.isInteger(k) && rows[k] ? String(rows[k].hwm) : '')),
      scales: {
        x: { time: false, range: [-0.5, rows.length - 0.5] },
        n: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 1)] },
        ms: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 0.1)] },
      },
      axes: [
        { scale: 'n', label: 'calls / events' },
        { scale: 'ms', label: 'virtual time (ms)', side: 1 },
      ],
      series: [
        { label: '_read() calls', scale: 'n', colour: '--c1', points: true },
        { label: 'write() calls', scale: 'n', colour: '--c3', points: true },
        { label: "'drain' events", scale: 'n', colour: '--m-drain', points: true },
        { label: 'virtual time (ms)', scale: 'ms', colour: '--c5', bars: true },
      ],
    });
    plot.setData([
      rows.map((_, k) => k),
      rows.map((r) => r.readCalls),
      rows.map((r) => r.writes),
      rows.map((r) => r.drains),
      rows.map((r) => r.endedAtMs),
    ]);
    const cols = [
      ['highWaterMark', (r) => r.hwm],
      ['_read() calls', (r) => formatCount(r.readCalls)],
      ['write() calls', (r) => formatCount(r.writes)],
      ['write() → false (transform)', (r) => formatCount(r.transformFalse)],
      ["'drain' events", (r) => formatCount(r.drains)],
      ['trace events', (r) => formatCount(r.events)],
      ['virtual time (ms)', (r) => r.endedAtMs],
      ['max buffered', (r) => formatBytes(r.maxBuffered)],
    ];
    sweepBox.append(
      h(
        'div',
        { class: 'table-wrap', tabindex: '0' },
        h(
          'table',
          { class: 'data-table narrow-table' },
          h('caption', {}, 'Work and virtual time per transform highWaterMark'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              cols.map(([c]) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h(
                'tr',
                { dataset: { hwm: r.hwm } },
                cols.map(([, get], k) => (k ? h('td', {}, get(r)) : h('th', { scope: 'row' }, get(r)))),
              ),
            ),
          ),
        ),
      ),
    );
  }

  const panel = challengePanel(root, {
    id: N.ID,
    title: N.TITLE,
    goal,
    hints: N.HINTS,
    fields,
    defaults: { ...d, throughput: '', why: '' },
    reset: () => {
      last = null;
      plot?.destroy();
      plot = null;
      fill(sweepBox);
      sweepStatus.textContent = '';
      delete root.dataset.sweep;
    },
    async check(values, { showErrors }) {
      const done = await runSweep(showErrors);
      if (!done) return { invalid: true };
      return N.check(
        { throughput: values.throughput || undefined, why: values.why || undefined },
        done.rows,
        done.input.chunks,
      );
    },
  });
  panel.showFieldErrors = (errors) => {
    let ok = true;
    for (const [name, f] of Object.entries(fields)) {
      f.error.textContent = errors[name] ?? '';
      if (errors[name]) ok = false;
    }
    return ok;
  };

  // The sweep sits between the setup fields and the questions.
  fields.throughput.el.before(
    h('div', { class: 'narrow-run' }, h('div', { class: 'controls' }, sweepBtn, sweepStatus), sweepBox),
  );
  return panel;
}
