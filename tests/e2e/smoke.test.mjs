// Smoke test: the built page loads in Chromium, its wasm core starts, nothing logs an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForStreamlab, screenshot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('page loads, window.streamlab becomes ready, no errors', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  assert.match(await page.title(), /Streamlab/);
  assert.equal(await page.evaluate(() => typeof window.streamlab.runScenario), 'function');
  await screenshot(page, 'smoke');
  assert.deepEqual(errors, []);
});

test('server sends the .wasm as application/wasm with the CSP', async () => {
  const res = await fetch(new URL('www/pkg/streamlab_bg.wasm', server.url));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  assert.match(res.headers.get('content-security-policy'), /'wasm-unsafe-eval'/);
  await res.arrayBuffer();
});
