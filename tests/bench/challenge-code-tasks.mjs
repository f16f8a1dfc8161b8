// The challenges' code steps against the page's main-thread budget (a benchmark): each step's
// Check with the stream corpus's solution, twice (the first Check on a page also loads the
// code lab's engine and draws the first charts: cold code), with Chromium's trace of every
// main-thread task, its wall time and its thread CPU time (as long-tasks.mjs measures them).
//
//   node tests/bench/challenge-code-tasks.mjs
//
// Prints the longest task of each Check, writes tests/artifacts/challenge-code-tasks.json,
// and exits 1 when a task's CPU time passes 50 ms.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS, REPO } from '../e2e/harness.mjs';
import { startTrace, mainTasks } from '../e2e/chromium-trace.mjs';
import { setCode } from '../e2e/code-helpers.mjs';

const BUDGET_MS = 50;
const SOLUTIONS = {
  'large-file': 'challenge-code-1-large-file.mjs',
  throttle: 'challenge-code-2-throttle.mjs',
  'narrow-transform': 'challenge-code-3-narrow.mjs',
};

async function traced(page, action) {
  const tracing = await startTrace(page);
  await action();
  return mainTasks(await tracing.end());
}

const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
const rows = [];
try {
  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  await page.evaluate(() => localStorage.removeItem('streamlab-challenges'));
  for (const [id, file] of Object.entries(SOLUTIONS)) {
    const step = page.locator(`[data-code-step="${id}"]`);
    await step.locator('details.code-step > summary').scrollIntoViewIfNeeded();
    await step.locator('details.code-step > summary').click();
    await step.locator('.cm-content').waitFor();
    await page.waitForFunction((el) => el.dataset.state === 'ready', await step.elementHandle());
    await setCode(page, step, fs.readFileSync(path.join(REPO, 'tests/programs/streams', file), 'utf8'));
    // The narrow step's answers, as its runs of this program support them.
    if (id === 'narrow-transform') {
      await step.locator('[data-code-choice="same"]').check();
      await step.locator('[data-code-choice="straight-through"]').check();
    }
    for (const round of [1, 2]) {
      await step.evaluate((el) => delete el.dataset.result);
      const tasks = await traced(page, async () => {
        await step.locator('[data-action="code-check"]').click();
        await page.waitForFunction((el) => el.dataset.result !== undefined, await step.elementHandle(), {
          timeout: 120000,
        });
        await page.waitForTimeout(300); // the paint after the verdict
      });
      const top = (key) => [...tasks].sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0))[0];
      rows.push({
        id,
        round,
        passed: JSON.parse(await step.getAttribute('data-result')).passed,
        tasks: tasks.length,
        longestCpuMs: +((top('tdur')?.tdur ?? 0) / 1000).toFixed(1),
        longestWallMs: +((top('dur')?.dur ?? 0) / 1000).toFixed(1),
        overBudgetCpu: tasks.filter((t) => (t.tdur ?? 0) > BUDGET_MS * 1000).length,
      });
    }
  }
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  await server.close();
}
console.log('step              check  passed  longest task: CPU / wall (ms)  tasks over 50 ms CPU');
for (const r of rows)
  console.log(
    `${r.id.padEnd(17)} ${String(r.round).padStart(5)}  ${r.passed ? 'yes' : 'no '}     ${String(r.longestCpuMs).padStart(6)} / ${String(r.longestWallMs).padStart(6)}              ${String(r.overBudgetCpu).padStart(4)}`,
  );
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'challenge-code-tasks.json'), `${JSON.stringify(rows, null, 2)}\n`);
process.exitCode = rows.some((r) => r.longestCpuMs > BUDGET_MS || !r.passed) ? 1 : 0;
