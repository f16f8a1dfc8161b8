// One scenario run at several values of one setting (the lesson's highWaterMark tuning),
// reported in Node's terms: the virtual time each run took and the work its streams did
// (calls to _read(), write(), _write(), callbacks, drains, pauses, bytes copied), counted from
// each run's trace. An explicit cost model, which the learner sets, turns that work into
// modelled time (virtual microseconds per call and per byte copied) so "fewer, larger calls
// are cheaper" can be seen where it holds. The browser's time to compute the simulation is
// never shown: it is a property of the simulator, not of Node.
import { h, fill } from './dom.js';
import { loadCore } from './core.js';
import { resolveScenario } from './scenarios.js';
import { ParamForm } from './form.js';
import { getPath, setPath, parseNumberish } from './fields.js';
import { mountExperiment } from './experiment.js';
import { CoreSession } from './run-worker.js';
import { formatBytes, formatCount, amountTicks, axisSize, BYTE_INCRS } from './units.js';
import { readableTitle } from './titles.js';
import { workOf, modelledMs, COST_DEFAULTS } from './work.js';

// The leaf paths whose values differ between the scenarios (the name aside).
export function varyingPaths(scenarios) {
  const paths = new Set();
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, p);
      else if (p !== 'name') paths.add(p);
    }
  };
  for (const s of scenarios) walk(s, '');
  return [...paths].filter((p) => new Set(scenarios.map((s) => JSON.stringify(getPath(s, p)))).size > 1);
}

// Virtual milliseconds with enough digits for a model's sub-millisecond costs.
function fmtMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

export async function mountSweep(root, names, options = {}) {
  const core = await loadCore();
  const scenarios = await Promise.all(names.map(resolveScenario));
  const paths = varyingPaths(scenarios);
  const values = scenarios.map((s) => getPath(s, paths[0]));
  const oneVariable =
    paths.length > 0 && scenarios.every((s) => paths.every((p) => getPath(s, p) === getPath(s, paths[0])));
  if (!oneVariable)
    throw new Error(`a sweep needs scenarios that differ in one value (here: ${paths.join(', ') || 'none'})`);
  const label = paths.map((p) => p.replace(/^transforms\.(\d+)\./, 't$1.')).join(' = ');
  const short = paths[0].split('.').pop() === 'highWaterMark' ? 'hwm' : paths[0].split('.').pop();

  root.classList.add('sweep', 'experiment');
  root.dataset.scenario = names.join(',');
  let base = structuredClone(scenarios[0]);
  let current = values.slice();
  let runs = 0;

  const status = h('span', { class: 'exp-status', role: 'status' });
  const valuesId = `sweep-values-${Math.random().toString(36).slice(2)}`;
  const valuesInput = h('input', {
    type: 'text',
    id: valuesId,
    value: current.join(', '),
    inputmode: 'numeric',
    'aria-describedby': `${valuesId}-err`,
  });
  const valuesErr = h('span', { class: 'field-error', id: `${valuesId}-err`, role: 'alert' });
  const form = new ParamForm(base, {
    omit: paths,
    onChange: (s) => {
      base = s;
      runAll();
    },
  });
  const runBtn = h('button', { type: 'button', class: 'primary', onclick: () => runAll() }, 'Run');
  const output = h('div', { class: 'output', 'aria-live': 'polite' });
  const verdict = h('div', { class: 'sweep-verdict', 'aria-live': 'polite' });
  const tableBox = h('div', { class: 'table-wrap', tabindex: '0' });
  const chartBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const detailSelect = h('select', { 'aria-label': `Open one ${short} as a live experiment` });
  const detailBox = h('div', { class: 'sweep-detail' });
  let detail = null;
  let plot = null;
  let lastRows = null;
  const costId = `sweep-cost-${Math.random().toString(36).slice(2)}`;
  const perCallInput = h('input', {
    type: 'text',
    id: `${costId}-call`,
    value: String(COST_DEFAULTS.perCallUs),
    inputmode: 'decimal',
    'aria-describedby': `${costId}-err`,
  });
  const perByteInput = h('input', {
    type: 'text',
    id: `${costId}-byte`,
    value: String(COST_DEFAULTS.perByteUs),
    inputmode: 'decimal',
    'aria-describedby': `${costId}-err`,
  });
  const costErr = h('span', { class: 'field-error', id: `${costId}-err`, role: 'alert' });
  const costBox = h(
    'fieldset',
    { class: 'param-group cost-model' },
    h('legend', {}, 'Cost model (yours to set; not a measurement of Node)'),
    h('div', { class: 'field' }, h('label', { for: `${costId}-call` }, 'Virtual µs per stream call'), perCallInput),
    h('div', { class: 'field' }, h('label', { for: `${costId}-byte` }, 'Virtual µs per byte copied'), perByteInput),
    costErr,
  );
  for (const input of [perCallInput, perByteInput]) {
    input.addEventListener('input', () => {
      if (lastRows && costModel()) show(lastRows);
    });
  }

  fill(
    root,
    h(
      'header',
      { class: 'exp-head' },
      h('h3', { class: 'exp-title' }, options.title ?? `${readableTitle(base)}: ${label} = ${values.join(', ')}`),
      status,
    ),
    h(
      'details',
      { class: 'exp-params', open: true },
      h('summary', {}, 'Parameters'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: valuesId }, `Values of ${label} (comma-separated)`),
        valuesInput,
        valuesErr,
      ),
      form.el,
    ),
    costBox,
    h('div', { class: 'controls', role: 'group', 'aria-label': 'Sweep controls' }, runBtn),
    h('div', { class: 'output-box' }, h('h4', {}, 'Output'), output),
    verdict,
    h('figure', { class: 'chart-figure' }, chartBox, h('figcaption', {}, tableBox)),
    h(
      'div',
      { class: 'sweep-detail-head' },
      h('label', { class: 'inline' }, `Watch one ${short} live: `, detailSelect),
      h('button', { type: 'button', onclick: () => openDetail(Number(detailSelect.value)) }, 'Open'),
    ),
    detailBox,
  );

  valuesInput.addEventListener('input', () => {
    clearTimeout(valuesInput.timer);
    valuesInput.timer = setTimeout(() => {
      current = valuesInput.value
        .split(',')
        .map((v) => parseNumberish(v))
        .filter((v) => v !== null);
      runAll();
    }, 300);
  });
  detailSelect.addEventListener('change', () => openDetail(Number(detailSelect.value)));

  const scenarioFor = (v) => {
    const s = structuredClone(base);
    for (const p of paths) setPath(s, p, v);
    s.name = `${base.name ?? 'sweep'}@${v}`;
    return s;
  };

  // Validates every value before anything runs; marks the values box or the form field.
  function check() {
    valuesErr.textContent = '';
    valuesInput.removeAttribute('aria-invalid');
    form.showError(null);
    if (!current.length) {
      valuesInput.setAttribute('aria-invalid', 'true');
      valuesErr.textContent = 'give at least one value';
      return valuesErr.textContent;
    }
    for (const v of current) {
      const message = core.validateScenario(scenarioFor(v));
      if (!message) continue;
      if (paths.some((p) => message.startsWith(`${p}:`))) {
        valuesInput.setAttribute('aria-invalid', 'true');
        valuesErr.textContent = `${v}: ${message}`;
      } else {
        form.showError(message);
      }
      return message;
    }
    // Every value is traced to count its calls, in a Worker within the page's trace limits
    // (limits.js): a run past them is refused there with a message saying which.
    return null;
  }

  async function runAll() {
    const problem = check();
    if (problem) {
      status.textContent = `Not run: ${problem}`;
      status.dataset.kind = 'bad';
      runBtn.disabled = true;
      return null;
    }
    runBtn.disabled = false;
    status.textContent = 'Running…';
    status.dataset.kind = '';
    const rows = [];
    // One Worker for the whole sweep: the page's main thread runs none of it.
    const session = await CoreSession.open();
    try {
      for (const v of current) {
        const s = scenarioFor(v);
        let traced;
        try {
          traced = await session.run(s, { trace: true });
        } catch (err) {
          // A runner limit or the page's trace limit: say so, for this value.
          status.textContent = `The core stopped at ${v}: ${err.message}`;
          status.dataset.kind = 'bad';
          return null;
        }
        rows.push({ value: v, scenario: s, summary: traced.summary, work: workOf(traced.trace) });
      }
    } catch (err) {
      status.textContent = `The core stopped: ${err.message}`;
      status.dataset.kind = 'bad';
      return null;
    } finally {
      session.close();
    }
    lastRows = rows;
    show(rows);
    runs += 1;
    root.dataset.runs = String(runs);
    status.textContent = 'Done';
    status.dataset.kind = 'ok';
    root.dispatchEvent(new CustomEvent('streamlab:run', { bubbles: true, detail: { rows } }));
    return rows;
  }

  // The cost model's figures, or null (and the field marked) when one is not a number >= 0.
  function costModel() {
    const read = (input) => {
      const v = Number(input.value);
      const ok = input.value.trim() !== '' && Number.isFinite(v) && v >= 0;
      input.toggleAttribute('aria-invalid', !ok);
      return ok ? v : null;
    };
    const perCallUs = read(perCallInput);
    const perByteUs = read(perByteInput);
    costErr.textContent =
      perCallUs === null || perByteUs === null ? 'cost model: each figure is a number of microseconds, 0 or more' : '';
    return perCallUs === null || perByteUs === null ? null : { perCallUs, perByteUs };
  }

  function show(rows) {
    const model = costModel() ?? COST_DEFAULTS;
    for (const r of rows) r.modelled = modelledMs(r.summary.endedAtMs, r.work, model);
    root.dataset.summary = JSON.stringify(
      rows.map((r) => ({
        value: r.value,
        ...r.summary,
        writes: r.work.writes,
        calls: r.work.calls,
        bytesCopied: r.work.bytesCopied,
        modelledMs: r.modelled,
      })),
    );
    const bytes = base.source?.chunk?.bytes;
    const total =
      bytes !== undefined && base.source
        ? formatBytes(bytes * base.source.chunks)
        : `${formatCount(base.source?.chunks)} chunks`;
    const width = rows.reduce((m, r) => Math.max(m, String(r.value).length), 0);
    const pre = h(
      'pre',
      { class: 'output-lines', tabindex: '0', 'aria-label': 'Sweep output' },
      `${short === 'hwm' ? 'highWaterMark' : label}: virtual time, stream calls, max buffered (${total} of data):`,
    );
    for (const r of rows) {
      pre.append(
        `\n  ${short}=${String(r.value).padStart(width)}: `,
        h('span', { class: 'num', dataset: { field: 'virtualMs', value: r.value } }, String(r.summary.endedAtMs)),
        ' ms virtual, ',
        h('span', { class: 'num', dataset: { field: 'calls', value: r.value } }, String(r.work.calls)),
        ' calls, max buffered ',
        h(
          'span',
          {
            class: 'num',
            dataset: { field: 'maxBufferedBytes', value: r.value, raw: String(r.summary.maxBufferedBytes) },
          },
          formatBytes(r.summary.maxBufferedBytes),
        ),
      );
    }
    fill(output, pre);
    fill(
      verdict,
      verdictLines(rows, model).map((t) => h('p', {}, t)),
    );
    fill(tableBox, table(rows));
    drawChart(rows);
    fill(
      detailSelect,
      rows.map((r, k) => h('option', { value: k }, `${short}=${r.value}`)),
    );
    detailSelect.rows = rows;
    if (detail) openDetail(Math.min(Number(detailSelect.value) || 0, rows.length - 1));
  }

  // Plain words about what the figures show, all of them Node's (virtual time, calls,
  // buffers) or the labelled model's.
  function verdictLines(rows, model) {
    const lines = [];
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (rows.length > 1) {
      const a = `${short}=${first.value}`;
      const b = `${short}=${last.value}`;
      const vt = rows.map((r) => r.summary.endedAtMs);
      if (vt.every((t) => t === vt[0])) {
        lines.push(
          `Virtual time was ${vt[0]} ms at every size: ${vt[0] > 0 ? "the sink's waits set the pace, and no buffer size changes them" : 'nothing waits on a timer, so in virtual time the run takes no time at all'}.`,
        );
      } else {
        lines.push(`Virtual time: ${a} ${first.summary.endedAtMs} ms, ${b} ${last.summary.endedAtMs} ms.`);
      }
      const fw = first.work;
      const lw = last.work;
      if (fw.calls === lw.calls && first.summary.drainEvents === last.summary.drainEvents) {
        lines.push(
          `The streams did the same work at ${a} and ${b}: ${formatCount(fw.calls)} calls (${formatCount(fw.reads)} _read(), ${formatCount(fw.writes)} write(), ${formatCount(fw.writeCalls)} _write(), ${formatCount(fw.callbacks)} callbacks, ${formatCount(fw.drains)} drains). With chunks of a fixed size, a larger buffer does not make the calls fewer.`,
        );
      } else {
        lines.push(
          `The work changed: ${formatCount(fw.calls)} → ${formatCount(lw.calls)} calls, drains ${formatCount(fw.drains)} → ${formatCount(lw.drains)}, pauses ${formatCount(fw.pauses)} → ${formatCount(lw.pauses)}. A small buffer fills after one chunk, so the source is paused and resumed for nearly every chunk.`,
        );
      }
      lines.push(
        `Max buffered (all streams together): ${formatBytes(first.summary.maxBufferedBytes)} → ${formatBytes(last.summary.maxBufferedBytes)}: the memory a larger mark costs.`,
      );
      const ratio = first.modelled > 0 && last.modelled > 0 ? first.modelled / last.modelled : 1;
      lines.push(
        `Modelled time (virtual time + ${model.perCallUs} µs per call + ${model.perByteUs} µs per byte copied): ${a} ${fmtMs(first.modelled)} ms, ${b} ${fmtMs(last.modelled)} ms` +
          (Math.abs(ratio - 1) < 0.005
            ? ': the same.'
            : ratio > 1
              ? ` (${ratio.toFixed(2)}× as much for the smaller buffer).`
              : ` (${(1 / ratio).toFixed(2)}× as much for the larger buffer).`),
      );
    }
    lines.push(
      "The model is yours to set above; it is not a measurement of Node. The simulator's own speed in this browser is not shown: it says nothing about Node.",
    );
    return lines;
  }

  function table(rows) {
    const cols = [
      [short, (r) => r.value],
      ['virtual time (ms)', (r) => r.summary.endedAtMs],
      ['_read() calls', (r) => r.work.reads],
      ['write() calls', (r) => r.work.writes],
      ['_write() calls', (r) => r.work.writeCalls],
      ['callbacks', (r) => r.work.callbacks],
      ['write() → false', (r) => r.summary.writeFalse],
      ['drains', (r) => r.work.drains],
      ['pauses', (r) => r.work.pauses],
      ['all calls', (r) => r.work.calls],
      ['bytes copied', (r) => formatBytes(r.work.bytesCopied)],
      ['max buffered', (r) => formatBytes(r.summary.maxBufferedBytes)],
      ['modelled time (ms)', (r) => fmtMs(r.modelled)],
    ];
    return h(
      'table',
      { class: 'data-table sweep-table' },
      h('caption', {}, `Work, virtual time and modelled time per value of ${label}`),
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
            {},
            cols.map(([, get], k) => (k ? h('td', {}, get(r)) : h('th', { scope: 'row' }, get(r)))),
          ),
        ),
      ),
    );
  }

  function drawChart(rows) {
    plot?.destroy();
    const uPlot = window.uPlot;
    const css = getComputedStyle(root);
    const v = (n) => css.getPropertyValue(n).trim();
    const xs = rows.map((_, k) => k);
    const axis = {
      stroke: v('--fg-muted'),
      grid: { stroke: v('--grid'), width: 1 },
      ticks: { stroke: v('--grid'), width: 1 },
    };
    plot = new uPlot(
      {
        width: Math.max(240, chartBox.clientWidth || root.clientWidth - 32),
        height: 220,
        title: `Modelled time and max buffered per ${short}`,
        scales: {
          x: { time: false, range: [-0.5, rows.length - 0.5] },
          ms: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 0.1)] },
          b: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 1)] },
        },
        axes: [
          {
            ...axis,
            splits: () => xs,
            values: (_u, splits) => splits.map((k) => (rows[k] ? String(rows[k].value) : '')),
            label: label,
            labelSize: 20,
          },
          { ...axis, scale: 'ms', label: 'modelled time (ms)', labelSize: 20, size: axisSize },
          {
            ...axis,
            scale: 'b',
            side: 1,
            label: 'max buffered',
            labelSize: 20,
            size: axisSize,
            values: amountTicks('bytes'),
            incrs: BYTE_INCRS,
            grid: { show: false },
          },
        ],
        series: [
          { label, value: (_u, k) => (rows[k] ? String(rows[k].value) : '') },
          {
            label: 'modelled time (ms)',
            scale: 'ms',
            stroke: v('--c1'),
            fill: v('--c1-fill'),
            paths: uPlot.paths.bars({ size: [0.5, 80] }),
            points: { show: false },
            value: (_u, x) => (x == null ? '–' : fmtMs(x)),
          },
          {
            label: 'max buffered',
            scale: 'b',
            stroke: v('--role-sink'),
            width: 2,
            points: { show: true, size: 8 },
            value: (_u, x) => (x == null ? '–' : formatBytes(x)),
          },
        ],
        legend: { live: true },
      },
      [xs, rows.map((r) => r.modelled), rows.map((r) => r.summary.maxBufferedBytes)],
      chartBox,
    );
    // The legend shows the last value until something is hovered (uPlot commits data later).
    const drawn = plot;
    requestAnimationFrame(() => {
      if (drawn === plot) drawn.setLegend({ idx: rows.length - 1 });
    });
  }

  async function openDetail(k) {
    const row = detailSelect.rows?.[k];
    if (!row) return;
    detail?.destroy();
    detail = await mountExperiment(detailBox, row.scenario, {
      title: `${short === 'hwm' ? 'highWaterMark' : label} ${short === 'hwm' ? formatBytes(row.value) : row.value}, live`,
      autorun: true,
      paramsOpen: false,
    });
  }

  new ResizeObserver(() => {
    if (plot && Math.abs(plot.width - chartBox.clientWidth) > 2)
      plot.setSize({ width: Math.max(240, chartBox.clientWidth), height: plot.height });
  }).observe(chartBox);

  document.addEventListener('streamlab:theme', () => {
    if (plot && detailSelect.rows) drawChart(detailSelect.rows);
  });

  // No run until asked (predict, then run), unless the page says so.
  if (options.autorun === true) runAll();
  return { root, run: runAll };
}
