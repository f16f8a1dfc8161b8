// The offline single file (dist/streamlab-offline.html, built by tools/build-single.mjs)
// opened from file:// in headless Chromium with the network cut: the lesson renders, the
// seeing-backpressure experiment runs in the inlined wasm core and prints 21 _read() calls
// and 4 drains, and the only thing the browser loads is the file itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, openPage, DIST, ARTIFACTS } from './harness.mjs';
import { native, scenarioFile, printed } from './page-helpers.mjs';

const FILE = path.join(DIST, 'streamlab-offline.html');
let browser;

before(async () => {
  assert.ok(fs.existsSync(FILE), `${FILE} missing: run ./build.sh`);
  browser = await launchBrowser({ viewport: { width: 1300, height: 1000 } });
});

after(async () => {
  await browser?.close();
});

test('one file with everything inline and its own CSP', () => {
  const html = fs.readFileSync(FILE, 'utf8');
  assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'one inline script');
  assert.doesNotMatch(html, /<script[^>]*\bsrc=|<link[^>]*rel="stylesheet"|<iframe/i);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'/);
  assert.match(csp, /connect-src 'none'/);
  // Styles: the one <style> by its hash, never 'unsafe-inline'.
  assert.doesNotMatch(csp, /unsafe-inline/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  const styleHash = crypto.createHash('sha256').update(style, 'utf8').digest('base64');
  assert.match(csp, new RegExp(`style-src 'sha256-${styleHash.replace(/[+/]/g, '\\$&')}'`));
});

test('from file:// with no network: seeing-backpressure shows 21 read calls and 4 drains', {
  timeout: 60000,
}, async () => {
  await browser.context.setOffline(true);
  const requests = [];
  browser.context.on('request', (r) => requests.push(r.url()));
  const { page, errors } = await openPage(browser, pathToFileURL(FILE).href);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready', null, { timeout: 20000 });
  const root = page.locator('[data-scenario="seeing-backpressure"]').first();
  await root.scrollIntoViewIfNeeded();
  // Nothing runs until the learner asks (predict, then run).
  assert.equal(await root.getAttribute('data-summary'), null);
  await root.locator(':scope > .controls button.primary').click();
  await page.waitForFunction((el) => el.dataset.summary, await root.elementHandle(), { timeout: 20000 });
  assert.deepEqual(
    JSON.parse(await root.getAttribute('data-summary')),
    native(scenarioFile('seeing-backpressure')).summary,
  );
  const numbers = await printed(root);
  assert.equal(numbers.readCalls, 21);
  assert.equal(numbers.drainEvents, 4);
  assert.match(await root.locator('.output-lines').innerText(), /Times _read\(\) was called: 21[\s\S]*Drain events: 4/);
  // The lesson and its challenges came along too, and no Share button points at a missing page.
  assert.ok(await page.locator('.challenge[data-challenge="large-file"]').count());
  assert.equal(await page.locator('[data-action="share"]').count(), 0);
  await page.waitForTimeout(200);
  await root.screenshot({ path: path.join(ARTIFACTS, 'offline-seeing-backpressure.png') });
  assert.deepEqual(
    requests.filter((u) => !u.startsWith('data:')),
    [pathToFileURL(FILE).href],
  );
  assert.deepEqual(errors, []);
  await browser.context.setOffline(false);
});
