// Main-thread CPU while an experiment plays in slow motion (issue 11: under 10% of one core).
//
//   ./build.sh build && node tests/bench/play-cpu.mjs [SECONDS] [SPEED...]
//
// Seeing Backpressure (its default run, and one of 3,000 chunks so that the charts are full)
// is started with Play at each speed (default: slowest and slow) and left to play for SECONDS
// (default 10). Chromium's trace gives each main-thread task its thread CPU time; their sum
// over the wall time is the share of one core the page used. Prints it and writes
// tests/artifacts/play-cpu.json.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from '../e2e/harness.mjs';
import { startTrace, mainTasks } from '../e2e/chromium-trace.mjs';

const seconds = Number(process.argv[2] ?? 10);
const speeds = process.argv.slice(3).length ? process.argv.slice(3) : ['slowest', 'slow'];

async function measure(browser, url, chunks, speed) {
  const { page, errors } = await openPage(browser, url);
  await waitForStreamlab(page);
  const root = page.locator('[data-scenario="seeing-backpressure"]').first();
  await root.scrollIntoViewIfNeeded();
  if (chunks !== 20) {
    await root.locator('[data-path="source.chunks"]').fill(String(chunks));
    await page.waitForFunction((el) => Number(el.dataset.runs ?? 0) > 0, await root.elementHandle(), {
      timeout: 120000,
    });
  }
  await root.locator('select[aria-label="Playback speed"]').selectOption(speed);
  await root.locator(':scope > .controls button', { hasText: /^Play$/ }).click();
  await page.waitForTimeout(1000); // the run's Worker starts and sends its first batch
  const tracing = await startTrace(page);
  const from = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const events = await tracing.end();
  const wallMs = Date.now() - from;
  const shown = await root.locator('.clock').textContent();
  const tasks = mainTasks(events);
  const cpuMs = tasks.reduce((sum, t) => sum + (t.tdur ?? 0) / 1000, 0);
  await page.close();
  return {
    chunks,
    speed,
    wallMs,
    cpuMs: Math.round(cpuMs),
    percent: +((100 * cpuMs) / wallMs).toFixed(1),
    shown,
    errors,
  };
}

const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
const rows = [];
try {
  for (const chunks of [20, 3000])
    for (const speed of speeds) rows.push(await measure(browser, server.url, chunks, speed));
} finally {
  await browser.close();
  await server.close();
}
for (const r of rows)
  console.log(
    `${String(r.chunks).padStart(5)} chunks  ${r.speed.padEnd(8)} main thread ${String(r.percent).padStart(5)}% of one core (${r.cpuMs} ms CPU in ${r.wallMs} ms) · ${r.shown}`,
  );
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'play-cpu.json'), `${JSON.stringify(rows, null, 2)}\n`);
