// The large-file challenge in the page: the form, two runs of the core (the learner's and
// the contrast, a loop that ignores write()), a memory chart and the peaks per file size.
import { h, fill } from '../dom.js';
import { loadCore } from '../core.js';
import { runInBackground } from '../run-worker.js';
import { challengePanel } from './panel.js';
import { numberField, selectField } from './inputs.js';
import { linePlot, dataTable } from './plot.js';
import { MIB, formatBytes, formatSeconds } from './format.js';
import * as L from './large-file.js';

const METHOD_LABEL = Object.fromEntries(L.METHODS.map((m) => [m.id, m.label]));

// Runs a scenario without the trace, off the main thread so a big file never freezes the
// page: { result } or { failure } (the core's message).
async function runQuiet(scenario) {
  try {
    return { result: (await runInBackground(scenario, { trace: false })).result };
  } catch (err) {
    return { failure: err.message };
  }
}

// Puts several sample series on one sorted x axis (null where a run has no sample).
function merge(series) {
  const xs = [...new Set(series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const at = series.map((s) => new Map(s.t.map((t, k) => [t, s.v[k]])));
  return [xs, ...at.map((m) => xs.map((x) => (m.has(x) ? m.get(x) : null)))];
}

export async function mountLargeFile(root) {
  const _core = await loadCore();
  const d = L.DEFAULTS;
  const fields = {
    fileMiB: numberField({ name: 'fileMiB', label: 'File size (MiB)', value: d.fileMiB, hint: '1 GiB = 1024 MiB' }),
    chunkKiB: numberField({
      name: 'chunkKiB',
      label: 'Chunk size (KiB)',
      value: d.chunkKiB,
      hint: 'fs.createReadStream reads 64 KiB at a time',
    }),
    sinkMs: numberField({
      name: 'sinkMs',
      label: 'Sink time per chunk (ms)',
      value: d.sinkMs,
      hint: 'how slow the destination is',
    }),
    method: selectField({ name: 'method', label: 'How the file is written', value: d.method, options: L.METHODS }),
  };
  const goal = [
    h(
      'p',
      {},
      `Send a file of at least 1 GiB into a slow writable and keep the modelled memory under ${formatBytes(L.BOUND)} the whole time.`,
    ),
    h(
      'p',
      { class: 'hint' },
      `The source reads ${formatBytes(L.SOURCE_HWM)} chunks like fs.createReadStream (highWaterMark ${L.SOURCE_HWM}, ${L.READ_DELAY_MS} ms per read). ` +
        `Memory here is a model of the process's RSS: a baseline of ${formatBytes(L.BASELINE)} plus every byte waiting in a stream buffer, sampled every ${L.SAMPLE_MS} ms of virtual time. ` +
        "The page also writes the same file with a loop that ignores write()'s return value, for contrast.",
    ),
  ];
  let plot = null;
  let contrastPlot = null;

  const panel = challengePanel(root, {
    id: L.ID,
    title: L.TITLE,
    goal,
    hints: L.HINTS,
    fields,
    defaults: d,
    reset: () => {
      plot?.destroy();
      contrastPlot?.destroy();
      plot = contrastPlot = null;
      fill(results);
    },
    async check(values, { results: box, showErrors }) {
      const { input, errors } = L.readInput(values);
      if (!showErrors(errors)) return { invalid: true };
      const mine = await runQuiet(L.scenarioFor(input));
      const contrast = input.method === 'loop-ignore' ? mine : await runQuiet(L.contrastScenario(input));
      const outcome = L.check(input, mine.result, contrast.result?.summary ?? null, mine.failure);
      await show(box, input, mine, contrast, outcome);
      return outcome;
    },
  });
  const results = root.querySelector('.challenge-results');

  async function show(box, input, mine, contrast, outcome) {
    plot?.destroy();
    contrastPlot?.destroy();
    plot = contrastPlot = null;
    fill(box);
    if (!mine.result) return;
    const m = L.memorySeries(mine.result.samples);
    const c = contrast.result ? L.memorySeries(contrast.result.samples) : null;
    const toMiB = (xs) => xs.map((b) => +(b / MIB).toFixed(3));
    const series = [{ t: m.t, v: toMiB(m.bytes) }];
    if (c && contrast !== mine) series.push({ t: c.t, v: toMiB(c.bytes) });
    const data = merge(series);
    const labels = [`your run: ${METHOD_LABEL[input.method]}`];
    if (series.length > 1) labels.push('write() ignored (contrast)');
    // Each run on its own scale: the contrast can reach a thousand times the learner's run,
    // and on one axis the learner's would lie flat at the bottom, its levelling off unseen.
    const bound = { label: `bound ${formatBytes(L.BOUND)}`, colour: '--fg', dash: [6, 5], width: 1 };
    // Each chart takes only its own run's points: on the merged times the other run's instants
    // hold no value, and a legend at such an instant shows none.
    const own = (col) => {
      const keep = data[0].flatMap((_, k) => (data[col][k] == null ? [] : [k]));
      const t = keep.map((k) => data[0][k]);
      return [t, keep.map((k) => data[col][k]), t.map(() => L.BOUND / MIB)];
    };
    const mineData = own(1);
    plot = linePlot(box, {
      title: `Your run: modelled memory (RSS model) over virtual time`,
      xLabel: 'virtual time (ms)',
      axes: [{ scale: 'y', label: 'modelled memory (MiB)' }],
      scales: { y: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.1, 1)] } },
      series: [{ label: labels[0], colour: '--c1' }, bound],
    });
    plot.setData(mineData);
    if (series.length > 1) {
      contrastPlot = linePlot(box, {
        title: 'Contrast, write() ignored: modelled memory (its own scale)',
        xLabel: 'virtual time (ms)',
        axes: [{ scale: 'y', label: 'modelled memory (MiB)' }],
        scales: { y: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.1, 1)] } },
        series: [{ label: labels[1], colour: '--c2' }, bound],
      });
      contrastPlot.setData(own(2));
    }
    const f = outcome.facts;
    box.append(
      h(
        'ul',
        { class: 'chart-sentences' },
        h(
          'li',
          {},
          `Your run (${METHOD_LABEL[input.method]}): peak modelled memory ${formatBytes(f.peak)} (highest 100 ms sample ${formatBytes(f.sampledPeak)}), file ${formatBytes(f.fileBytes)}, ${formatSeconds(f.endedAtMs)} of virtual time.`,
        ),
        f.contrastPeak !== undefined
          ? h('li', {}, `Same file, write() ignored: peak ${formatBytes(f.contrastPeak)}.`)
          : null,
      ),
    );
    box.append(await growthTable(input));
    box.append(
      dataTable(
        'Modelled memory (MiB)',
        ['virtual time (ms)', ...labels],
        data[0].map((t, k) => [t, ...data.slice(1, 1 + labels.length).map((col) => col[k] ?? '')]),
      ),
    );
  }

  // Peaks at a quarter, half and all of the file: flat with backpressure, growing without.
  async function growthTable(input) {
    const rows = [];
    for (const part of [0.25, 0.5, 1]) {
      const sized = { ...input, fileMiB: input.fileMiB * part };
      const peak = async (method) => {
        const r = await runQuiet(L.scenarioFor(sized, method));
        return r.result ? formatBytes(L.peakMemory(r.result.summary)) : 'not run';
      };
      const bytes = Math.ceil((sized.fileMiB * MIB) / (input.chunkKiB * 1024)) * input.chunkKiB * 1024;
      rows.push([
        formatBytes(bytes),
        await peak(input.method),
        input.method === 'loop-ignore' ? '(same)' : await peak('loop-ignore'),
      ]);
    }
    return h(
      'table',
      { class: 'data-table growth-table' },
      h('caption', {}, 'Peak modelled memory by file size'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['file', `your run: ${METHOD_LABEL[input.method]}`, 'write() ignored'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r[0]), h('td', {}, r[1]), h('td', {}, r[2]))),
      ),
    );
  }

  return panel;
}
