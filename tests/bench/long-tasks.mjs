// The page's main-thread budget (a benchmark): no task over 50 ms while a run plays or
// finishes, and Step answering within 50 ms after a run of the largest traced size.
//
//   ./build.sh build && node tests/bench/long-tasks.mjs [CHUNKS...]
//
// For each chunk count (default: 20, 1000 and 5000) it types the count into Seeing
// Backpressure's "Chunks pushed", which runs the experiment to its end, then presses Step
// (when the run was traced: limits.js decides, by events and trace bytes). Chromium's trace
// gives every main-thread task with its wall time and its thread CPU time: on a machine
// shared with other work the wall time also counts the time the page was waiting for a CPU,
// the CPU time only the page's own work. Prints both, writes
// tests/artifacts/long-tasks.json, and exits 1 when a task's CPU time passes the budget.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from '../e2e/harness.mjs';
import { startTrace, mainTasks } from '../e2e/chromium-trace.mjs';

const BUDGET_MS = 50;

async function measure(browser, url, chunks) {
  const { page, errors } = await openPage(browser, url);
  await waitForStreamlab(page);
  const root = page.locator('[data-scenario="seeing-backpressure"]').first();
  await root.scrollIntoViewIfNeeded();
  const tracing = await startTrace(page);
  const started = Date.now();
  await root.locator('[data-path="source.chunks"]').fill(String(chunks));
  await page.waitForFunction((el) => Number(el.dataset.runs ?? 0) > 0, await root.elementHandle(), {
    timeout: 600000,
  });
  const runMs = Date.now() - started;
  // Past the page's trace limits (limits.js: events, trace bytes) the run had the trace off,
  // said in the note, and cannot be stepped.
  const traced = await root.locator('.exp-note').isHidden();
  const stepAt = Date.now();
  if (traced) {
    await root.locator(':scope > .controls button', { hasText: /^Step$/ }).click();
    await page.waitForFunction(
      (el) => /1 events shown/.test(el.querySelector('.clock').textContent),
      await root.elementHandle(),
    );
  }
  const stepWallMs = traced ? Date.now() - stepAt : null;
  const tasks = mainTasks(await tracing.end());
  const top = (key) => [...tasks].sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0))[0];
  const cpu = top('tdur');
  const wall = top('dur');
  await page.close();
  return {
    chunks,
    traced,
    runMs,
    stepWallMs,
    tasks: tasks.length,
    longestCpuMs: +((cpu?.tdur ?? 0) / 1000).toFixed(1),
    longestWallMs: +((wall?.dur ?? 0) / 1000).toFixed(1),
    overBudgetCpu: tasks.filter((t) => (t.tdur ?? 0) > BUDGET_MS * 1000).length,
    errors,
  };
}

const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = [];
try {
  for (const chunks of counts.length ? counts : [20, 1000, 5000]) rows.push(await measure(browser, server.url, chunks));
} finally {
  await browser.close();
  await server.close();
}
console.log('chunks  traced  run (s)  longest task: CPU / wall (ms)  tasks over 50 ms CPU  Step (wall ms)');
for (const r of rows)
  console.log(
    `${String(r.chunks).padStart(6)}  ${r.traced ? 'yes' : 'no '}     ${(r.runMs / 1000).toFixed(1).padStart(5)}    ${String(r.longestCpuMs).padStart(6)} / ${String(r.longestWallMs).padStart(6)}              ${String(r.overBudgetCpu).padStart(4)}            ${r.stepWallMs}`,
  );
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'long-tasks.json'), `${JSON.stringify(rows, null, 2)}\n`);
process.exitCode = rows.some((r) => r.longestCpuMs > BUDGET_MS || r.errors.length) ? 1 : 0;
