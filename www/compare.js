// Two experiments side by side (e.g. a write loop that ignores write()'s return value and
// one that waits for 'drain'). Each keeps its own parameters and controls; the pair shares
// a y range so the heights can be compared by eye, and one line states the difference.
import { h, fill } from './dom.js';
import { mountExperiment } from './experiment.js';
import { formatBytes } from './units.js';
import { readableTitle } from './titles.js';

// Step both by virtual time: both sides reveal every event up to the earlier of their next
// events' times, so they always show the same moment (event counts differ between runs).
// Each side's next event may still be on its way from its run's Worker: both are awaited.
export async function stepBoth(exps) {
  const times = (await Promise.all(exps.map((e) => e.nextEventTime()))).filter((t) => t !== null);
  if (!times.length) {
    await Promise.all(exps.map((e) => e.step()));
    return;
  }
  const t = times.reduce((m, x) => Math.min(m, x), Infinity);
  await Promise.all(exps.map((e) => e.stepToTime(t)));
}

export async function mountCompare(root, names, options = {}) {
  root.classList.add('compare');
  const toolbar = h('div', { class: 'controls compare-controls', role: 'group', 'aria-label': 'Both experiments' });
  const verdict = h('p', { class: 'compare-verdict', 'aria-live': 'polite' });
  const grid = h('div', { class: 'compare-grid' });
  const slots = names.map(() => h('section', { class: 'experiment-slot' }));
  fill(root, toolbar, verdict, grid);
  grid.append(...slots);
  const output = options.output ?? 'memory';
  const exps = await Promise.all(
    names.map((name, k) =>
      mountExperiment(slots[k], name, {
        ...options,
        output,
        title: options.titles?.[k],
        paramsOpen: options.paramsOpen ?? false,
      }),
    ),
  );

  const update = () => {
    const done = exps.map((e) => e.summary());
    if (done.some((s) => !s)) return;
    const yMax = done.reduce((m, s) => Math.max(m, s.maxBufferedBytes), -Infinity);
    for (const e of exps) if (e.charts.yMax !== yMax) e.charts.setYMax(yMax);
    // The same "max buffered" as the outputs and the charts' peaks.
    const [a, b] = done.map((s) => s.maxBufferedBytes);
    const [na, nb] = exps.map((e, k) => options.titles?.[k] ?? readableTitle(e.scenario()));
    const ratio = a && b ? (Math.max(a, b) / Math.min(a, b)).toFixed(1) : null;
    verdict.textContent =
      `Max buffered: ${na} ${formatBytes(a)}, ${nb} ${formatBytes(b)}` +
      (ratio && a !== b ? ` (${ratio}× ${a > b ? 'more on the left' : 'more on the right'}).` : '.') +
      ' Both charts use the same y scale.';
  };
  root.addEventListener('streamlab:run', update);

  toolbar.append(
    h('button', { type: 'button', class: 'primary', onclick: () => Promise.all(exps.map((e) => e.run())) }, 'Run both'),
    h(
      'button',
      {
        type: 'button',
        onclick: () =>
          exps.forEach((e) => {
            e.restart();
            e.play();
          }),
      },
      'Play both',
    ),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          for (const e of exps) e.pause();
        },
      },
      'Pause both',
    ),
    h(
      'button',
      {
        type: 'button',
        onclick: () => stepBoth(exps),
      },
      'Step both',
    ),
  );
  return { root, experiments: exps };
}
