// The throttle challenge in the page: the learner picks N; the core runs the pipeline in
// 100 ms slices of virtual time (trace off) and the page charts the throughput of each last
// second against N, and what waits upstream against the bound.
import { h, fill } from '../dom.js';
import { loadCore } from '../core.js';
import { challengePanel } from './panel.js';
import { numberField } from './inputs.js';
import { linePlot, dataTable } from './plot.js';
import { KIB, formatBytes, formatPercent, formatRate } from './format.js';
import * as T from './throttle.js';

const SLICES_PER_YIELD = 400; // give the page a frame now and then on long runs

// Steps a Simulation to its end: { readings, summary } or { failure }.
async function measure(core, scenario, chunkBytes) {
  let sim;
  try {
    sim = new core.Simulation(scenario, { trace: false });
    const readings = [];
    for (let t = 0, k = 0; ; t += T.STEP_MS, k += 1) {
      const done = sim.advanceTo(t);
      readings.push(T.reading(t, chunkBytes, sim.summary().consumed, sim.lengths()));
      if (done) break;
      if (k % SLICES_PER_YIELD === SLICES_PER_YIELD - 1) await new Promise((r) => setTimeout(r, 0));
    }
    return { readings, summary: sim.summary() };
  } catch (err) {
    return { failure: err.message };
  } finally {
    sim?.free();
  }
}

export async function mountThrottle(root) {
  const core = await loadCore();
  const d = T.DEFAULTS;
  const fields = {
    rate: numberField({
      name: 'rate',
      label: 'Rate N (bytes per second)',
      value: d.rate,
      placeholder: 'e.g. 262144',
      hint: "the transform's throttleBytesPerSec",
    }),
    dataMiB: numberField({ name: 'dataMiB', label: 'Data (MiB)', value: d.dataMiB }),
    chunkKiB: numberField({ name: 'chunkKiB', label: 'Chunk size (KiB)', value: d.chunkKiB }),
    sourceHwmKiB: numberField({ name: 'sourceHwmKiB', label: 'Source highWaterMark (KiB)', value: d.sourceHwmKiB }),
    transformHwmKiB: numberField({
      name: 'transformHwmKiB',
      label: 'Transform highWaterMark (KiB)',
      value: d.transformHwmKiB,
    }),
    sinkMs: numberField({
      name: 'sinkMs',
      label: 'Sink time per chunk (ms)',
      value: d.sinkMs,
      hint: 'empty: the sink calls back at once',
    }),
  };
  const goal = [
    h(
      'p',
      {},
      `Pick a rate N. The transform delays each callback so that the bytes it has passed never run ahead of N per second. ` +
        `Passing means: over a run of at least ${T.MIN_RUN_MS / 1000} s of virtual time the measured rate is within ${formatPercent(T.TOLERANCE)} of N, ` +
        `every one-second window within ${formatPercent(T.WINDOW_TOLERANCE)}, and the source and the transform never hold more than ${formatBytes(T.UPSTREAM_BOUND)} between them.`,
    ),
  ];
  const plots = [];
  const clear = () => {
    for (const p of plots.splice(0)) p.destroy();
  };

  const panel = challengePanel(root, {
    id: T.ID,
    title: T.TITLE,
    goal,
    hints: T.HINTS,
    fields,
    defaults: d,
    reset: () => {
      clear();
      fill(root.querySelector('.challenge-results'));
    },
    async check(values, { results, showErrors }) {
      const { input, errors } = T.readInput(values);
      if (!showErrors(errors)) return { invalid: true };
      const chunk = Math.round(input.chunkKiB * KIB);
      const run = await measure(core, T.scenarioFor(input), chunk);
      clear();
      fill(results);
      if (run.failure) return { passed: false, reasons: [`The core could not run it: ${run.failure}`] };
      const outcome = T.check(input, run.readings, run.summary);
      show(results, input, run.readings, outcome);
      return outcome;
    },
  });

  function show(box, input, readings, outcome) {
    const t = readings.map((r) => r.t);
    const through = T.throughputSeries(readings).map((v) => (v === null ? null : +(v / KIB).toFixed(2)));
    const n = input.rate / KIB;
    const rate = linePlot(box, {
      title: 'Throughput over the last second',
      xLabel: 'virtual time (ms)',
      axes: [{ scale: 'y', label: 'KiB per second' }],
      scales: { y: { range: (_u, _lo, hi) => [0, Math.max(hi, n) * 1.2] } },
      series: [
        { label: 'measured', colour: '--c1' },
        { label: `N = ${formatRate(input.rate)}`, colour: '--fg-muted', dash: [6, 5], width: 1 },
        { label: `N + ${formatPercent(T.WINDOW_TOLERANCE)}`, colour: '--m-drain', dash: [2, 4], width: 1 },
        { label: `N − ${formatPercent(T.WINDOW_TOLERANCE)}`, colour: '--m-drain', dash: [2, 4], width: 1 },
      ],
    });
    rate.setData([
      t,
      through,
      t.map(() => n),
      t.map(() => n * (1 + T.WINDOW_TOLERANCE)),
      t.map(() => n * (1 - T.WINDOW_TOLERANCE)),
    ]);
    const up = linePlot(box, {
      title: 'Waiting upstream (source + transform buffers)',
      xLabel: 'virtual time (ms)',
      axes: [{ scale: 'y', label: 'KiB' }],
      scales: { y: { range: (_u, _lo, hi) => [0, Math.max(hi, T.UPSTREAM_BOUND / KIB) * 1.15] } },
      series: [
        { label: 'upstream buffered', colour: '--c2' },
        { label: `bound ${formatBytes(T.UPSTREAM_BOUND)}`, colour: '--bad', dash: [6, 5], width: 1 },
      ],
      height: 180,
    });
    up.setData([t, readings.map((r) => +(r.upstream / KIB).toFixed(2)), t.map(() => T.UPSTREAM_BOUND / KIB)]);
    plots.push(rate, up);
    const f = outcome.facts;
    box.append(
      h(
        'ul',
        { class: 'chart-sentences' },
        h(
          'li',
          {},
          `Measured ${formatRate(f.rate)} over ${(f.endMs / 1000).toFixed(1)} s (N = ${formatRate(f.N)}), ${f.windows} full one-second windows${f.worst ? `, the furthest from N at ${formatRate(f.worst.rate)}` : ''}.`,
        ),
        h('li', {}, `Upstream peak: ${formatBytes(f.upstreamPeak)} (bound ${formatBytes(f.bound)}).`),
      ),
    );
    box.append(
      dataTable(
        'Throughput and upstream buffers',
        ['virtual time (ms)', 'KiB/s over the last second', 'upstream (KiB)'],
        readings.map((r, k) => [r.t, through[k] ?? '', +(r.upstream / KIB).toFixed(1)]),
      ),
    );
  }

  return panel;
}
