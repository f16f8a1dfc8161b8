// The code lab's cost in the page (a benchmark, not a test): what the first load carries of it,
// how long the editor takes to open, and Run to output for the lesson's whole Experiment, the
// first time (the engine fetched and compiled) and again (compiled already).
//
//   ./build.sh build && ROUNDS=5 node tests/bench/code-load-bench.mjs
//
// Each round is a fresh browser (an empty cache). Bytes are bodies as served (this server
// does not compress); times are medians, measured in the page with performance.now().
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from '../e2e/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const CODE = /\/www\/(code\/|vendor\/code-editor\/|lab-pkg\/|lessons\/[^/]+\.(mjs|txt)$)/;

function track(page) {
  const sizes = new Map();
  page.on('response', async (res) => {
    try {
      sizes.set(new URL(res.url()).pathname, (await res.body()).length);
    } catch {
      // redirects and aborted requests have no body
    }
  });
  const sum = (filter) => [...sizes].filter(([p]) => filter(p)).reduce((a, [, n]) => a + n, 0);
  return { sizes, sum };
}

// Time from a click until `ready` holds in the page.
async function timed(page, click, ready) {
  await page.evaluate(() => {
    window.__t0 = performance.now();
  });
  await click();
  await page.waitForFunction(ready, null, { timeout: 120000 });
  return page.evaluate(() => performance.now() - window.__t0);
}

const server = await startServer();
const rows = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    const { page } = await openPage(browser, null);
    const net = track(page);
    const t0 = Date.now();
    await page.goto(server.url);
    await waitForStreamlab(page);
    await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
    await page.waitForLoadState('networkidle');
    const loadMs = Date.now() - t0;
    const firstTotal = net.sum(() => true);
    const firstCode = net.sum((p) => CODE.test(p));

    const panel = page.locator('.lesson-program');
    await panel.locator('summary').first().scrollIntoViewIfNeeded();
    const openMs = await timed(
      page,
      () => panel.locator('summary').first().click(),
      () => document.querySelector('.lesson-program [data-code-view]')?.dataset.state === 'ready',
    );
    const editorBytes = net.sum((p) => CODE.test(p)) - firstCode;
    const run = () => panel.locator('[data-action="run-code"]').click();
    const done = () => document.querySelector('.lesson-program')?.dataset.match !== undefined;
    const firstRunMs = await timed(page, run, done);
    const engineBytes = net.sum((p) => /\/www\/lab-pkg\//.test(p));
    await page.evaluate(() => {
      delete document.querySelector('.lesson-program').dataset.match;
    });
    const againMs = await timed(page, run, done);
    rows.push({ loadMs, firstTotal, firstCode, openMs, editorBytes, firstRunMs, againMs, engineBytes });
    await browser.close();
  }
} finally {
  await server.close();
}

const m = (k) => median(rows.map((x) => x[k]));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const out = {
  rounds: ROUNDS,
  firstLoad: { ms: m('loadMs'), bytes: m('firstTotal'), codeLabBytes: m('firstCode') },
  codeLabShareOfFirstLoad: m('firstCode') / m('firstTotal'),
  openEditorMs: m('openMs'),
  editorBytes: m('editorBytes'),
  engineBytes: m('engineBytes'),
  lessonRunFirstMs: m('firstRunMs'),
  lessonRunAgainMs: m('againMs'),
};
console.log(`rounds: ${ROUNDS} (medians)`);
console.log(
  `first load: ${out.firstLoad.ms} ms, ${kib(out.firstLoad.bytes)}; of it the code lab's toggles ${kib(out.firstLoad.codeLabBytes)} (${(100 * out.codeLabShareOfFirstLoad).toFixed(1)}%)`,
);
console.log(`open the lesson's code (editor, its code): ${out.openEditorMs.toFixed(0)} ms, ${kib(out.editorBytes)}`);
console.log(
  `Run the lesson's Experiment, first time (engine ${kib(out.engineBytes)} fetched and compiled): ${out.lessonRunFirstMs.toFixed(0)} ms`,
);
console.log(`Run it again: ${out.lessonRunAgainMs.toFixed(0)} ms`);
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'code-load-bench.json'), `${JSON.stringify({ ...out, rows }, null, 2)}\n`);
