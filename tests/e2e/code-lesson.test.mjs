// "Run the lesson's code" (www/code/lesson-program.js): the lesson's whole Experiment, unchanged,
// run on the code lab's engine in the page, prints what real Node prints for the same file, line
// for line, beside the lesson's Expected Output; nothing of it loads before the panel is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browserSuite, openPage, waitForStreamlab, REPO } from './harness.mjs';
import { runNode } from '../node/program-oracle.mjs';
import { requireLab, runCode, outputRows } from './code-helpers.mjs';

const FILE = path.join(REPO, 'www/lessons/backpressure-experiment.mjs');

const suite = browserSuite();

async function openPanel(page) {
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  const panel = page.locator('.lesson-program[data-program="backpressure-experiment.mjs"]');
  const summary = panel.locator('details.exp-code > summary').first();
  await summary.scrollIntoViewIfNeeded();
  return { panel, summary };
}

test("the lesson's code is not fetched until its panel is opened", async () => {
  const { page } = await openPage(suite.browser, suite.server.url);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const { summary } = await openPanel(page);
  assert.ok(!fetched.some((p) => p.endsWith('backpressure-experiment.mjs')), 'not fetched before opening');
  assert.ok(!fetched.some((p) => p.includes('/code-editor/')), 'no editor before opening');
  await summary.click();
  await page.locator('.lesson-program [data-code-view][data-state="ready"]').waitFor();
  assert.ok(fetched.some((p) => p.endsWith('/www/lessons/backpressure-experiment.mjs')));
  await page.close();
});

test("the lesson's code runs in the page and prints Node's lines beside the Expected Output", async () => {
  requireLab();
  const node = runNode(FILE);
  assert.equal(node.code, 0, node.stderr);
  const { page } = await openPage(suite.browser, suite.server.url);
  const { panel, summary } = await openPanel(page);
  await summary.click();
  const view = panel.locator('[data-code-view]');
  await page.waitForFunction((el) => el.dataset.state === 'ready', await view.elementHandle());
  // Before a run: the Expected Output, and what to do.
  assert.match(await panel.locator('.compare-verdict').textContent(), /Press Run/);
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await view.getAttribute('data-exit-code'), '0');
  const printed = (await outputRows(view))
    .filter((r) => r.stream === 'stdout')
    .map((r) => `${r.text}\n`)
    .join('');
  assert.equal(printed, node.stdout, "the page's run prints what real Node prints for the same file");
  assert.equal(await panel.getAttribute('data-match'), 'all');
  const verdict = await panel.locator('.compare-verdict').textContent();
  assert.match(verdict, /^42 of 42 lines match the Expected Output/);
  // The right-hand column holds the run's lines, the left the lesson's.
  const row = panel.locator('.compare-lines tbody tr').nth(4);
  assert.equal(await row.getAttribute('data-kind'), 'filled');
  assert.equal(await row.locator('td').nth(1).textContent(), '  Times _read() was called: <number>');
  assert.equal(await row.locator('td').nth(2).textContent(), node.stdout.split('\n')[4]);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: path.join(REPO, 'tests/artifacts/code-lesson.png') });
  await page.close();
});

test('an edit that changes a line is shown as differing, with the line named', async () => {
  requireLab();
  const { page } = await openPage(suite.browser, suite.server.url);
  const { panel, summary } = await openPanel(page);
  await summary.click();
  const view = panel.locator('[data-code-view]');
  await page.waitForFunction((el) => el.dataset.state === 'ready', await view.elementHandle());
  const source = fs.readFileSync(FILE, 'utf8').replace('"\\n=== Manual Backpressure ===\\n"', '"\\n=== Manual ===\\n"');
  await view.locator('.code-editor').evaluate(async (host, text) => {
    const { viewOf } = await import(new URL('/www/vendor/code-editor/editor.js', location.origin).href);
    const ed = viewOf(host);
    ed.dispatch({ changes: { from: 0, to: ed.state.doc.length, insert: text } });
  }, source);
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await panel.getAttribute('data-match'), 'some');
  assert.match(await panel.locator('.compare-verdict').textContent(), /41 of 42 lines match .*line 11 differs\./);
  assert.equal(await panel.locator('.compare-lines tr[data-kind="differs"]').count(), 1);
  await page.close();
});
