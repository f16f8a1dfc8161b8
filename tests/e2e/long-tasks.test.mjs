// No main-thread task over 50 ms of CPU (issue 10): every experiment of the lesson, at the
// largest run it still traces (limits.js: 20,000 events), is run to its end, played, stepped
// and finished again, and one run past the limit (trace off) finishes
// (long-tasks-exercise.mjs), while Chromium's trace records every main-thread task and the page
// reports its long tasks (PerformanceObserver 'longtask': tasks over 50 ms of wall time).
// About 40 s a pass. What the longest tasks contain: tests/bench/long-tasks-profile.mjs.
//
// Why CPU time, not the long-task entries alone: the entries time a task by the wall clock,
// and on a shared machine (2 cores, several busy processes) a task of 20 ms of work can take
// 60 ms of wall time waiting for a core. Chromium's own trace gives each task's thread CPU
// time (what the page itself spent), so each long-task entry is matched to its task in the
// trace and fails the test when that task's CPU time is over 50 ms. On an idle machine the two
// agree and the page reports no long task at all. Nothing is throttled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForStreamlab } from './harness.mjs';
import { startTrace, mainTasks } from './chromium-trace.mjs';
import { LARGEST, exercise, bigUntraced } from './long-tasks-exercise.mjs';

const BUDGET_MS = 50;

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// One pass over every experiment: { over, worst, errors }.
async function measure() {
  const { page, errors } = await openPage(browser);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(server.url);
  await waitForStreamlab(page);

  const tracing = await startTrace(page);
  // One moment on both clocks: the page's performance.now() and the trace's timestamp.
  const syncNow = await page.evaluate(() => {
    console.timeStamp('streamlab-sync');
    return performance.now();
  });

  const done = [];
  for (const [name, field, count] of LARGEST) done.push([name, ...(await exercise(page, name, field, count))]);
  await bigUntraced(page);

  const trace = await tracing.end();
  const longTasks = await page.evaluate(() => window.__longTasks);
  await page.close();

  const sync = trace.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'streamlab-sync');
  assert.ok(sync, 'the sync mark is in the trace');
  const tasks = mainTasks(trace);
  assert.ok(tasks.length > 100, `the trace has the page's tasks (${tasks.length})`);
  // Trace time (µs) of a page time (ms).
  const toTrace = (ms) => sync.ts + (ms - syncNow) * 1000;

  const over = [];
  // The page's loading (before the trace began) is not a run: its entries are counted apart.
  const loading = longTasks.filter((lt) => lt.start < syncNow);
  // Entries after the trace ended (its own flush) have no task to match: outside the window.
  const traceEnd = Math.max(...tasks.map((t) => t.ts + t.dur));
  const measured = longTasks.filter((l) => l.start >= syncNow && toTrace(l.start) < traceEnd);
  for (const lt of measured) {
    const from = toTrace(lt.start);
    const to = toTrace(lt.start + lt.duration);
    // The task the entry times: the one that overlaps it most.
    let best = null;
    let most = 0;
    for (const t of tasks) {
      const overlap = Math.min(to, t.ts + t.dur) - Math.max(from, t.ts);
      if (overlap > most) [best, most] = [t, overlap];
    }
    const cpuMs = (best?.tdur ?? best?.dur ?? lt.duration * 1000) / 1000;
    if (cpuMs > BUDGET_MS)
      over.push({ at: Math.round(lt.start - syncNow), wallMs: Math.round(lt.duration), cpuMs: +cpuMs.toFixed(1) });
  }
  // Every task, whether or not an entry named it (an entry is only made past 50 ms of wall time).
  const worst = Math.max(...tasks.map((t) => (t.tdur ?? 0) / 1000));
  console.log(
    `runs: ${done.map(([n, e, ms]) => `${n} ${e} events (Step after it: ${ms} ms)`).join(', ')}; long-task entries (wall > 50 ms): ${measured.length} (and ${loading.length} while the page loaded); longest task: ${worst.toFixed(1)} ms CPU`,
  );
  return { over, worst, errors };
}

test('no main-thread task over 50 ms of CPU while the largest traced runs play, step and finish', async () => {
  // A second pass when the first has a task over the budget: on 2 cores shared with other
  // processes one task's CPU time varies by a few ms (caches, clock), while a page that does
  // too much in one task does it on every pass.
  let r = await measure();
  if (r.over.length > 0 || r.worst > BUDGET_MS) {
    console.log(`first pass: longest task ${r.worst.toFixed(1)} ms CPU; measuring again`);
    r = await measure();
  }
  assert.deepEqual(r.over, [], 'long tasks whose own work (CPU time) passed 50 ms');
  assert.ok(r.worst <= BUDGET_MS, `a main-thread task took ${r.worst.toFixed(1)} ms of CPU`);
  assert.deepEqual(r.errors, []);
});
