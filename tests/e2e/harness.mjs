// Helpers for browser tests: serve dist/, drive Chromium (from PATH or $CHROMIUM) with playwright-core.
//
//   import { startServer, launchBrowser, openPage, screenshot, DIST } from './harness.mjs';
//   const server = await startServer();             // dist/ on 127.0.0.1, a free port
//   const browser = await launchBrowser();
//   const { page, errors } = await openPage(browser, server.url);
//   ... assert.deepEqual(errors, []);
//   await screenshot(page, 'smoke');                  // tests/artifacts/smoke.png
//   await browser.close(); await server.close();
//
// Needs a built dist/ (./build.sh; test.sh builds first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer as startStatic } from '../../tools/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const DIST = path.join(REPO, 'dist');
export const ARTIFACTS = path.join(REPO, 'tests/artifacts');
// Chromium: $CHROMIUM, else `chromium` (or `chromium-browser`, `google-chrome`) found on PATH.
export const CHROMIUM = findChromium();

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const file = path.join(dir, name);
      if (dir && fs.existsSync(file)) return file;
    }
  }
  throw new Error('no Chromium: install it (./build.sh install-test) or set CHROMIUM to its path');
}

// Serves `root` (default dist/) on 127.0.0.1, port 0. Resolves to { url, port, close() }.
export async function startServer(root = DIST) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html missing: run ./build.sh first`);
  }
  return startStatic(root);
}

// A test file's server and browser: started before its tests, closed after them.
//   const suite = browserSuite();  …  openPage(suite.browser, suite.server.url)
export function browserSuite({ viewport = { width: 1280, height: 900 } } = {}) {
  const suite = { server: null, browser: null };
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launchBrowser({ viewport });
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

// Starts headless Debian Chromium (no playwright browser download: none is reachable here).
// A persistent context needs its own profile dir; close() removes it again.
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox', // we run as root
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // No traffic beyond the test server: only package registries are reachable here.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Opens url in a new page and records every console error and uncaught page error into
// `errors` (strings), so tests can end with assert.deepEqual(errors, []).
export async function openPage(browser, url, { waitUntil = 'load' } = {}) {
  const context = browser.context ?? browser;
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // A request the browser itself cancelled (net::ERR_ABORTED: a reload while the core's Worker
  // still fetched its wasm, say) is not a fault of the page; every other failure is.
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${req.url()} ${why}`);
  });
  if (url) await page.goto(url, { waitUntil });
  return { page, errors };
}

// Waits until the page's API (window.streamlab) exists and its `ready` promise resolved.
export async function waitForStreamlab(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(() => typeof window.streamlab === 'object' && window.streamlab !== null, null, {
    timeout,
  });
  await page.evaluate(() => window.streamlab.ready);
}

// Saves a full-page PNG to tests/artifacts/NAME.png and returns its path.
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
