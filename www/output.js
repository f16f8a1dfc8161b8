// The output panel: the lines the lesson's program prints, with this run's numbers. Each
// number is its own element carrying data-field, so tests (and curious learners with dev
// tools) can read exactly what the page printed.
import { h } from './dom.js';
import { formatBytes, formatCount } from './units.js';

// A line is a list of parts: plain text, or a number from the run ({ field, value }, shown
// with its unit when `bytes` is set: "10 GiB", the exact figure in data-raw and the tooltip).
const n = (field, value) => ({ field, value });
const b = (field, value) => ({ field, value, bytes: true });

function streamHwm(hwms, name, side) {
  return hwms?.[name]?.[side];
}

// Which set of lines fits a scenario when the lesson does not say.
export function defaultTemplate(scenario) {
  if (scenario.connect === 'write-loop') return 'loop';
  if (scenario.source?.objectMode || scenario.sink?.objectMode) return 'object';
  return 'pipe';
}

// The byte total a write loop or source produces, when every chunk has one size.
function chunkBytes(chunk) {
  if (!chunk) return null;
  if ('bytes' in chunk) return chunk.bytes;
  if ('text' in chunk && !/\{[ni]\}/.test(chunk.text)) return new TextEncoder().encode(chunk.text).length;
  return null;
}

const TEMPLATES = {
  pipe: (s) => [
    ['Producer:'],
    ['  Total chunks produced: ', n('produced', s.produced)],
    ['  Times _read() was called: ', n('readCalls', s.readCalls)],
    ['Consumer:'],
    ['  Total chunks consumed: ', n('consumed', s.consumed)],
    ['  Drain events: ', n('drainEvents', s.drainEvents)],
    [
      s.drainEvents > 0
        ? '  (drain > 0 means backpressure was applied)'
        : '  (no drain: the sink never asked the source to wait)',
    ],
  ],
  loop: (s) => [
    ['Items written: ', n('produced', s.produced)],
    ['Backpressure pauses: ', n('backpressurePauses', s.backpressurePauses)],
  ],
  // "Max buffered" is one figure everywhere: the largest amount the streams held together
  // after any trace event (summary.maxBufferedBytes), the peak the chart shows.
  memory: (s, scenario, hwms) => {
    const loop = scenario.writeLoop ?? {};
    const each = chunkBytes(loop.chunk);
    const all = each === null ? null : each * loop.items;
    const max = s.maxBufferedBytes;
    const hwm = streamHwm(hwms, 'sink', 'writable') ?? scenario.sink?.highWaterMark;
    let note;
    if (loop.respectBackpressure && each !== null && hwm !== undefined && max <= hwm + each) {
      note = `(at most the highWaterMark, ${formatBytes(hwm)}, plus one ${formatBytes(each)} chunk: write() returned false once the mark was reached and the loop waited for 'drain'; a chunk is kept whole, so the buffer can pass the mark by up to one chunk)`;
    } else if (all !== null && max >= all) {
      note = '(all of the data was buffered at once)';
    } else if (all !== null) {
      note = `(${Math.round((100 * max) / all)}% of the ${formatBytes(all)} was buffered at once)`;
    } else note = '';
    return [
      [loop.respectBackpressure ? 'With backpressure:' : 'Without backpressure:'],
      ['  Max buffered: ', b('maxBufferedBytes', max)],
      [`  ${note}`],
    ];
  },
  totals: (s) => [
    ['Chunks through the pipeline: ', n('consumed', s.consumed)],
    ['Max buffered, all streams together: ', b('maxBufferedBytes', s.maxBufferedBytes)],
    ['Virtual time taken: ', n('endedAtMs', s.endedAtMs), ' ms'],
  ],
  // The learner may switch one side out of object mode: that side counts bytes and chunks.
  object: (s, scenario, hwms) => {
    const items = (st) => (st?.objectMode ? ' objects' : ' chunks');
    const unit = (st) => (st?.objectMode ? ' objects' : ' bytes');
    return [
      ['Object mode:'],
      ['  Produced: ', n('produced', s.produced), items(scenario.source)],
      ['  Consumed: ', n('consumed', s.consumed), items(scenario.sink)],
      [
        '  Producer hwm: ',
        n('sourceHwm', streamHwm(hwms, 'source', 'readable') ?? scenario.source?.highWaterMark),
        `${unit(scenario.source)}, Consumer hwm: `,
        n('sinkHwm', streamHwm(hwms, 'sink', 'writable') ?? scenario.sink?.highWaterMark),
        unit(scenario.sink),
      ],
    ];
  },
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);

// The lesson's choice of lines, unless the learner switched the scenario to a shape those
// lines cannot describe (a write loop has no _read(), a pipe has no write loop).
export function templateFor(wanted, scenario) {
  const loop = scenario.connect === 'write-loop';
  const fits = { pipe: !loop, object: !loop, loop, memory: loop, totals: true };
  return wanted && fits[wanted] ? wanted : defaultTemplate(scenario);
}

// Builds the <pre> of the output lines for a finished run.
export function renderOutput(template, summary, scenario, hwms) {
  const lines = (TEMPLATES[template] ?? TEMPLATES.pipe)(summary, scenario, hwms);
  if (summary.error) {
    lines.push([
      `Error: ${summary.error.code ?? '(no code)'}: ${summary.error.message}${summary.error.uncaught ? ' (uncaught)' : ''}`,
    ]);
  }
  // Focusable: a long line scrolls sideways on a phone and must be reachable by keyboard.
  const pre = h('pre', { class: 'output-lines', tabindex: '0', 'aria-label': 'Program output' });
  lines.forEach((parts, k) => {
    if (k) pre.append('\n');
    for (const part of parts) {
      if (typeof part === 'string') pre.append(part);
      else if (part.bytes && Number.isFinite(part.value))
        pre.append(
          h(
            'span',
            {
              class: 'num',
              title: `${formatCount(part.value)} bytes`,
              dataset: { field: part.field, raw: String(part.value) },
            },
            formatBytes(part.value),
          ),
        );
      else if (Number.isInteger(part.value) && Math.abs(part.value) >= 10000)
        pre.append(
          h('span', { class: 'num', dataset: { field: part.field, raw: String(part.value) } }, formatCount(part.value)),
        );
      else pre.append(h('span', { class: 'num', dataset: { field: part.field } }, String(part.value)));
    }
  });
  return pre;
}
