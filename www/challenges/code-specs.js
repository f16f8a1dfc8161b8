// What each challenge's code step runs and shows: its starter and hints (from the pure
// *-code.js modules), its check (the runs it makes, then the pure check over their records),
// and the tables beside the verdict. Used by code-step.js.
import { h, newId } from '../dom.js';
import { formatBytes, formatCount, formatPercent, formatRate, formatSeconds } from './format.js';
import * as LC from './large-file-code.js';
import * as TC from './throttle-code.js';
import * as NC from './narrow-code.js';
import { TITLE as LARGE_TITLE } from './large-file.js';
import { TITLE as THROTTLE_TITLE } from './throttle.js';
import { TITLE as NARROW_TITLE } from './narrow.js';

// A table with a caption, column heads and rows of cells (the first cell heads its row).
function table(caption, heads, rows, cls = '') {
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      { class: `data-table ${cls}` },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((c, k) => (k ? h('td', {}, c) : h('th', { scope: 'row' }, c))),
          ),
        ),
      ),
    ),
  );
}

// The contrast program's run is the same every time: made once per page.
let contrastRun = null;

const largeFile = {
  title: LARGE_TITLE,
  filename: LC.FILENAME,
  starter: LC.STARTER,
  hints: LC.HINTS,
  async check({ source, run }) {
    const result = await run(source);
    contrastRun ??= await run(LC.CONTRAST, { trace: false });
    const outcome = LC.check(result, contrastRun);
    return { ...outcome, result, record: result, contrast: contrastRun };
  },
  show(box, outcome) {
    const f = outcome.facts;
    if (f.peak === undefined) return;
    box.append(
      table(
        "Your program and the page's loop that ignores write()",
        ['program', 'bytes into the destination', 'peak modelled memory', 'virtual time'],
        [
          ['yours', formatBytes(f.through), formatBytes(f.peak), formatSeconds(f.endedAtMs)],
          outcome.contrast
            ? [
                "the page's loop (write() ignored)",
                'the same 1 GiB',
                formatBytes(LC.contrastPeak(outcome.contrast)),
                formatSeconds(outcome.contrast.endedAt),
              ]
            : null,
        ].filter(Boolean),
        'code-contrast-table',
      ),
      h(
        'details',
        { class: 'code-contrast' },
        h('summary', {}, "The page's contrast program"),
        h('pre', {}, h('code', {}, LC.CONTRAST)),
      ),
    );
  },
};

const throttle = {
  title: THROTTLE_TITLE,
  filename: TC.FILENAME,
  starter: TC.STARTER,
  hints: TC.HINTS,
  async check({ source, run }) {
    const result = await run(source);
    return { ...TC.check(result), result, record: result };
  },
  show(box, outcome) {
    const f = outcome.facts;
    if (!f.windows?.length) return;
    box.append(
      table(
        `${f.name}'s output per full second (N = ${formatRate(f.N)})`,
        ['second', 'from (virtual time)', 'bytes/s', 'off N'],
        f.windows.map((w, k) => [
          String(k + 1),
          formatSeconds(w.from),
          formatCount(w.rate),
          formatPercent(Math.abs(w.rate - f.N) / f.N),
        ]),
        'code-windows-table',
      ),
    );
  },
};

// The narrow step's two questions, as radios of their own (data-code-choice), so they never
// answer for the explore step's.
function narrowQuestions() {
  const question = (name, legend, options) => {
    const group = newId('code-q');
    const radios = options.map((o) =>
      h('input', { type: 'radio', name: group, value: o.id, dataset: { codeChoice: o.id } }),
    );
    const el = h(
      'fieldset',
      { class: 'choice', dataset: { codeField: name } },
      h('legend', {}, legend),
      options.map((o, k) => h('label', { class: 'choice-option' }, radios[k], ' ', o.label)),
    );
    return {
      el,
      get: () => radios.find((r) => r.checked)?.value,
      set: (v) =>
        radios.forEach((r) => {
          r.checked = r.value === v;
        }),
    };
  };
  const throughputQ = question(
    'throughput',
    "In your runs, as the Transform's highWaterMark shrinks to 1, what happens to throughput?",
    NC.THROUGHPUT,
  );
  const whyQ = question('why', 'Why? Pick the explanation your runs support.', NC.WHY);
  return {
    el: h('div', { class: 'code-questions' }, throughputQ.el, whyQ.el),
    get: () => {
      const out = {};
      const t = throughputQ.get();
      const w = whyQ.get();
      if (t) out.throughput = t;
      if (w) out.why = w;
      return out;
    },
    set: (a = {}) => {
      throughputQ.set(a.throughput);
      whyQ.set(a.why);
    },
  };
}

const narrow = {
  title: NARROW_TITLE,
  filename: NC.FILENAME,
  starter: NC.STARTER,
  hints: NC.HINTS,
  extra: narrowQuestions,
  async check({ source, answers, run, yieldNow }) {
    const sources = [];
    for (const hwm of NC.SIZES) {
      const s = NC.withHwm(source, hwm);
      if (s.error) return { passed: false, reasons: [s.error], record: null, rows: [] };
      sources.push([hwm, s.source]);
    }
    const rows = [];
    let first = null;
    for (const [hwm, src] of sources) {
      const result = await run(src);
      first ??= result;
      rows.push(NC.rowOf(hwm, result));
      await yieldNow();
    }
    const outcome = NC.check(answers ?? {}, rows);
    return { ...outcome, result: first, record: { rows }, rows };
  },
  show(box, outcome) {
    if (!outcome.rows?.length) return;
    box.append(
      h('p', { class: 'hint' }, `The output above is your program's run at highWaterMark ${NC.SIZES[0]}.`),
      table(
        'Your program at each highWaterMark of the Transform',
        [
          'highWaterMark',
          'virtual time (ms)',
          "producer's _read() calls",
          'write() → false (transform)',
          "'drain' events",
          'write() calls',
          'stream events',
        ],
        outcome.rows.map((r) =>
          r.error
            ? [String(r.hwm), r.error, '', '', '', '', '']
            : [
                String(r.hwm),
                String(r.endedAtMs),
                formatCount(r.readCalls),
                formatCount(r.transformFalse),
                formatCount(r.drains),
                formatCount(r.writes),
                formatCount(r.events),
              ],
        ),
        'code-narrow-table',
      ),
    );
  },
};

export const SPECS = { 'large-file': largeFile, throttle, 'narrow-transform': narrow };
