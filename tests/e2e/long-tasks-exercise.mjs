// What the main-thread budget is checked on (tests/e2e/long-tasks.test.mjs) and profiled with
// (tests/bench/long-tasks-profile.mjs): every experiment of the lesson at the largest run it
// still traces, run to its end, played, stepped and finished again; then one run past the
// trace limit. `mark(what)` is called before each action (the profile puts it in the trace).
import assert from 'node:assert/strict';
import { experiment, runs, waitForRun } from './page-helpers.mjs';
import { MAX_TRACE_EVENTS } from '../../www/limits.js';

// The largest count each experiment's form accepts that the page still traces, found with the
// native runner (events per run just under 20,000); exercise() checks that each run was traced
// and had at least 90% of the page's trace limit, so a change of the core or of the limit
// that makes them wrong fails there.
export const LARGEST = [
  ['key-insight-10gib', 'source.chunks', 2499],
  ['seeing-backpressure', 'source.chunks', 3373],
  ['manual-backpressure', 'writeLoop.items', 5333],
  ['without-backpressure', 'writeLoop.items', 6666],
  ['with-backpressure', 'writeLoop.items', 3333],
  ['object-mode', 'source.chunks', 3076],
];

const shown = (root) => root.locator('.clock').textContent();
const eventsShown = async (root) => Number(/(\d+) events shown/.exec(await shown(root))?.[1] ?? 0);
const button = (root, name) => root.locator(':scope > .controls button', { hasText: new RegExp(`^${name}$`) });

// Run to the end, Play (fast, then slow motion), Pause, Step, and Run again to finish; then
// Step after the finished run. Resolves to [events of the run, Step's wall ms after the end].
export async function exercise(page, name, field, count, mark = async () => {}) {
  const root = experiment(page, name);
  await root.scrollIntoViewIfNeeded();
  const before = await runs(root);
  // Parameters changed: the experiment runs to its end at once.
  const input = root.locator(`[data-path="${field}"]`).first();
  if (!(await input.isVisible())) await root.locator('.exp-params > summary').first().click();
  await mark(`${name}: run to the end`);
  await input.fill(String(count));
  await waitForRun(root, before, 120000);
  assert.equal(await root.locator('.exp-note').isHidden(), true, `${name} at ${count}: not traced`);
  const events = await eventsShown(root);
  assert.ok(events >= 0.9 * MAX_TRACE_EVENTS, `${name} at ${count}: only ${events} events, not the largest traced run`);

  const speed = root.locator('select[aria-label="Playback speed"]');
  await speed.selectOption('fast');
  await mark(`${name}: play fast`);
  await button(root, 'Play').click();
  await page.waitForTimeout(1500);
  await mark(`${name}: play slowest`);
  await speed.selectOption('slowest');
  await page.waitForTimeout(1000);
  await mark(`${name}: pause, step`);
  await button(root, 'Pause').click();
  // Step from where Play stopped, then from a finished run (Step restarts it).
  const stepped = await eventsShown(root);
  await button(root, 'Step').click();
  await page.waitForFunction(
    ([el, n]) => new RegExp(`\\b${n + 1} events shown`).test(el.querySelector('.clock').textContent),
    [await root.elementHandle(), stepped],
  );
  const again = await runs(root);
  await mark(`${name}: run to finish`);
  await button(root, 'Run').click();
  await waitForRun(root, again, 120000);
  // Step after the finished run (it starts the run again): the wall time from the click to
  // the clock showing the event, measured in the page. Reported, not asserted: it includes
  // starting the run's Worker, which on a busy machine waits for a core; the page's own work
  // in it is held to the budget with every other task.
  await mark(`${name}: step after the end`);
  const stepMs = await root.evaluate(
    (el) =>
      new Promise((resolve) => {
        const clock = el.querySelector('.clock');
        const t0 = performance.now();
        const seen = new MutationObserver(() => {
          if (/\b1 events shown/.test(clock.textContent)) {
            seen.disconnect();
            resolve(performance.now() - t0);
          }
        });
        seen.observe(clock, { childList: true, characterData: true, subtree: true });
        [...el.querySelectorAll(':scope > .controls button')].find((b) => b.textContent === 'Step').click();
      }),
  );
  return [events, Math.round(stepMs)];
}

// Past the trace limit the form still accepts the count: 20,000 chunks (the count that once
// froze the tab) runs with the trace off, and its samples are charted at the end.
export async function bigUntraced(page, mark = async () => {}) {
  const big = experiment(page, 'seeing-backpressure');
  const before = await runs(big);
  await mark('seeing-backpressure: 20,000 chunks, trace off');
  await big.locator('[data-path="source.chunks"]').fill('20000');
  await waitForRun(big, before, 120000);
  assert.equal(await big.locator('.exp-note').isHidden(), false, '20,000 chunks ran with the trace off');
}
