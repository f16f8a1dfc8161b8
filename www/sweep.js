// One scenario run at several values of one setting (the lesson's highWaterMark tuning):
// a table of the counts that explain the cost, the core's own measured time per value, a
// chart of both, the lesson's output lines with these numbers, and a plain verdict that
// says so when larger buffers did not come out faster. One value can be opened below as a
// full live experiment.
import { h, fill } from './dom.js';
import { loadCore } from './core.js';
import { resolveScenario } from './scenarios.js';
import { ParamForm } from './form.js';
import { getPath, setPath, parseNumberish } from './fields.js';
import { mountExperiment } from './experiment.js';
import { CoreSession } from './run-worker.js';

const REPEATS = 5; // timed batches per value; the median is shown
const BATCH_MS = 15; // performance.now() is coarse (0.1 ms): time batches at least this long

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

function formatBytes(n) {
  if (n >= 1 << 20) return `${+(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

// Enough digits to tell sub-millisecond times apart.
function fmtMs(ms) {
  return ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

// Loops rather than Math.min(...xs): spreading a long array overflows the call stack.
function minOf(xs) {
  return xs.reduce((m, x) => Math.min(m, x), Infinity);
}

function maxOf(xs) {
  return xs.reduce((m, x) => Math.max(m, x), -Infinity);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const nextFrame = () => new Promise((r) => setTimeout(r, 0));

// Counts from a traced run that the summary does not carry.
function traceCounts(trace) {
  let writes = 0;
  let pauses = 0;
  for (const e of trace) {
    if (e.ev === 'write' && e.stream === 'sink') writes += 1;
    if (e.ev === 'pause') pauses += 1;
  }
  return { writes, pauses };
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
  const tableBox = h('div', { class: 'table-wrap' });
  const chartBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const detailSelect = h('select', { 'aria-label': `Open one ${short} as a live experiment` });
  const detailBox = h('div', { class: 'sweep-detail' });
  let detail = null;
  let plot = null;

  fill(
    root,
    h(
      'header',
      { class: 'exp-head' },
      h('h3', { class: 'exp-title' }, options.title ?? `${label}: ${values.join(', ')}`),
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
        rows.push({ value: v, scenario: s, summary: traced.summary, ...traceCounts(traced.trace), times: [] });
      }
      // Timing with the trace off, values interleaved so that a busy moment hits all alike.
      // Short runs are repeated in a batch so the clock's resolution does not decide the result.
      for (const row of rows) {
        const once = await session.time(row.scenario, 1);
        row.batch = Math.min(500, Math.max(1, Math.ceil(BATCH_MS / Math.max(once, 0.05))));
      }
      for (let r = 0; r < REPEATS; r++) {
        for (const row of rows) {
          await nextFrame();
          row.times.push(await session.time(row.scenario, row.batch));
        }
      }
    } catch (err) {
      status.textContent = `The core stopped: ${err.message}`;
      status.dataset.kind = 'bad';
      return null;
    } finally {
      session.close();
    }
    for (const row of rows) row.ms = median(row.times);
    show(rows);
    runs += 1;
    root.dataset.summary = JSON.stringify(
      rows.map((r) => ({ value: r.value, ...r.summary, writes: r.writes, coreMs: r.ms })),
    );
    root.dataset.runs = String(runs);
    status.textContent = 'Done';
    status.dataset.kind = 'ok';
    root.dispatchEvent(new CustomEvent('streamlab:run', { bubbles: true, detail: { rows } }));
    return rows;
  }

  function show(rows) {
    const bytes = base.source?.chunk?.bytes;
    const total =
      bytes !== undefined && base.source
        ? formatBytes(bytes * base.source.chunks)
        : `${base.source?.chunks ?? '?'} chunks`;
    const width = rows.reduce((m, r) => Math.max(m, String(r.value).length), -Infinity);
    const pre = h(
      'pre',
      { class: 'output-lines' },
      `${short === 'hwm' ? 'highWaterMark' : label} vs throughput (${total} of data):`,
    );
    for (const r of rows) {
      pre.append(
        `\n  ${short}=${String(r.value).padStart(width)}: `,
        h('span', { class: 'num', dataset: { field: 'coreMs', value: r.value } }, `${fmtMs(r.ms)}ms`),
      );
    }
    fill(output, pre);
    fill(
      verdict,
      verdictLines(rows).map((t) => h('p', {}, t)),
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

  // Plain words about what the figures show. Times count as different only when the ranges
  // of their batches do not overlap; equal counts mean the streams did the same work.
  function verdictLines(rows) {
    const lines = [];
    const first = rows[0];
    const last = rows[rows.length - 1];
    const same = rows.every(
      (r) =>
        r.summary.readCalls === first.summary.readCalls &&
        r.writes === first.writes &&
        r.summary.drainEvents === first.summary.drainEvents,
    );
    if (rows.length > 1) {
      const a = `${short}=${first.value}`;
      const b = `${short}=${last.value}`;
      const range = (r) => `${fmtMs(minOf(r.times))}–${fmtMs(maxOf(r.times))} ms`;
      const overlap = minOf(last.times) <= maxOf(first.times) && minOf(first.times) <= maxOf(last.times);
      if (overlap || last.ms >= first.ms) {
        lines.push(
          `Larger buffers were not faster here: ${b} took ${fmtMs(last.ms)} ms, ${a} took ${fmtMs(first.ms)} ms` +
            (overlap ? `, and their measurements overlap (${range(last)} against ${range(first)}).` : '.'),
        );
      } else if (same) {
        lines.push(
          `${b} measured ${(first.ms / last.ms).toFixed(1)}× faster than ${a} (${fmtMs(last.ms)} against ${fmtMs(first.ms)} ms), but not through less stream work: the counts below are identical, so the gap is in the simulator, not in fewer reads or writes.`,
        );
      } else {
        lines.push(
          `Larger buffers came out faster here: ${b} took ${fmtMs(last.ms)} ms, ${a} took ${fmtMs(first.ms)} ms (${(first.ms / last.ms).toFixed(1)}×).`,
        );
      }
      if (same) {
        lines.push(
          `Every value did the same work: ${first.summary.readCalls} _read() calls, ${first.writes} write() calls, ${first.summary.consumed} _write() calls and ${first.summary.drainEvents} drains. The buffer size changed nothing the streams did.`,
        );
      } else {
        lines.push(
          `The work changed with the value: _read() calls ${first.summary.readCalls} → ${last.summary.readCalls}, write() calls ${first.writes} → ${last.writes}, drains ${first.summary.drainEvents} → ${last.summary.drainEvents}.`,
        );
      }
      lines.push(
        `Peak buffered across the streams: ${first.summary.maxBufferedBytes} → ${last.summary.maxBufferedBytes} bytes.`,
      );
    }
    lines.push(
      `Times are the wasm core's own, measured in this browser with performance.now() in a Web Worker (trace off; each figure is the median of ${REPEATS} batches of back-to-back runs): they show what the simulation costs, not how fast Node itself would be.`,
    );
    return lines;
  }

  function table(rows) {
    const cols = [
      [short, (r) => r.value],
      ['_read() calls', (r) => r.summary.readCalls],
      ['write() calls', (r) => r.writes],
      ['_write() calls', (r) => r.summary.consumed],
      ['write() → false', (r) => r.summary.writeFalse],
      ['drains', (r) => r.summary.drainEvents],
      ['pauses', (r) => r.pauses],
      ['peak buffered (bytes)', (r) => r.summary.maxBufferedBytes],
      ['core time (ms)', (r) => fmtMs(r.ms)],
      ['range (ms)', (r) => `${fmtMs(minOf(r.times))}–${fmtMs(maxOf(r.times))}`],
    ];
    return h(
      'table',
      { class: 'data-table sweep-table' },
      h('caption', {}, `Work and time per value of ${label}`),
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
        title: `Core time and _read() calls per ${short}`,
        scales: {
          x: { time: false, range: [-0.5, rows.length - 0.5] },
          ms: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 0.1)] },
          n: { range: (_u, _lo, hi) => [0, Math.max(hi * 1.15, 1)] },
        },
        axes: [
          {
            ...axis,
            splits: () => xs,
            values: (_u, splits) => splits.map((k) => (rows[k] ? String(rows[k].value) : '')),
            label: label,
            labelSize: 20,
          },
          { ...axis, scale: 'ms', label: 'core time (ms)', labelSize: 20, size: 56 },
          { ...axis, scale: 'n', side: 1, label: '_read() calls', labelSize: 20, size: 56, grid: { show: false } },
        ],
        series: [
          { label, value: (_u, k) => (rows[k] ? String(rows[k].value) : '') },
          {
            label: 'core time (ms)',
            scale: 'ms',
            stroke: v('--c1'),
            fill: v('--c1-fill'),
            paths: uPlot.paths.bars({ size: [0.5, 80] }),
            points: { show: false },
          },
          { label: '_read() calls', scale: 'n', stroke: v('--c2'), width: 2, points: { show: true, size: 8 } },
        ],
        legend: { live: true },
      },
      [xs, rows.map((r) => r.ms), rows.map((r) => r.summary.readCalls)],
      chartBox,
    );
  }

  async function openDetail(k) {
    const row = detailSelect.rows?.[k];
    if (!row) return;
    detail?.destroy();
    detail = await mountExperiment(detailBox, row.scenario, {
      title: `${row.scenario.name}, live`,
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

  const io = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      io.disconnect();
      if (!runs) runAll();
    },
    { rootMargin: '200px' },
  );
  if (options.autorun !== false) io.observe(root);
  return { root, run: runAll };
}
