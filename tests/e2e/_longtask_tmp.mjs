// temporary measurement (not committed)
import fs from 'node:fs';
import { startServer, launchBrowser, openPage, waitForStreamlab } from './harness.mjs';
import { setCode } from './code-helpers.mjs';
const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
const { page } = await openPage(browser, server.url);
await waitForStreamlab(page);
await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
await page.evaluate(() => { localStorage.clear(); });
await page.reload();
await waitForStreamlab(page);
await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
await page.evaluate(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: false }); });
const files = { 'large-file': 'challenge-code-1-large-file.mjs', throttle: 'challenge-code-2-throttle.mjs', 'narrow-transform': 'challenge-code-3-narrow.mjs' };
for (const [id, f] of Object.entries(files)) {
  const s = page.locator(`[data-code-step="${id}"]`);
  await s.locator('details.code-step > summary').scrollIntoViewIfNeeded();
  await s.locator('details.code-step > summary').click();
  await s.locator('.cm-content').waitFor();
  await page.waitForFunction((el) => el.dataset.state === 'ready', await s.elementHandle());
  await page.evaluate(() => { window.__lt = []; });
  await setCode(page, s, fs.readFileSync(`tests/programs/streams/${f}`, 'utf8'));
  const was = await s.getAttribute('data-result');
  await s.locator('[data-action="code-check"]').click();
  await page.waitForFunction(([el, b]) => /^(passed|not-yet)$/.test(el.dataset.state) && el.dataset.result !== b, [await s.elementHandle(), was], { timeout: 120000 });
  await page.waitForTimeout(500);
  console.log(id, await s.getAttribute('data-state'), 'long tasks (ms):', await page.evaluate(() => window.__lt));
}
await browser.close(); await server.close();
