// Accessibility: axe-core (npm devDependency) injected into each page by the test, at a
// desktop and a phone width, after the experiments have run (so outputs, charts, tanks and
// traces are on screen). Every page must have zero violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, REPO } from './harness.mjs';

const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
];

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

// axe's violations, one line each: "rule (impact): target, target".
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to it.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

// Runs every experiment and sweep of the lesson from its Run button, and checks every
// challenge with its defaults, so their results are on screen too.
async function runAll(page) {
  const buttons = page.locator(
    '.experiment[data-scenario] > .controls button.primary, [data-challenge] [data-action="check"]',
  );
  const n = await buttons.count();
  for (let k = 0; k < n; k++) {
    const b = buttons.nth(k);
    if (await b.isDisabled()) continue;
    await b.scrollIntoViewIfNeeded();
    await b.click();
  }
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.experiment[data-scenario]')].every((el) => Number(el.dataset.runs ?? 0) > 0) &&
      ![...document.querySelectorAll('.exp-status')].some((s) => /Running/.test(s.textContent)) &&
      ![...document.querySelectorAll('[data-challenge]')].some((c) => c.dataset.state === 'running'),
    null,
    { timeout: 60000 },
  );
}

for (const [label, viewport] of WIDTHS) {
  test(`axe: the lesson page has no violations (${label})`, { timeout: 120000 }, async () => {
    const browser = await launchBrowser({ viewport });
    try {
      const { page, errors } = await openPage(browser, server.url);
      await waitForStreamlab(page);
      await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
      await runAll(page);
      assert.deepEqual(errors, []);
      assert.deepEqual(await violations(page), []);
    } finally {
      await browser.close();
    }
  });

  for (const [name, url] of [
    ['embed.html (experiment)', 'embed.html?scenario=seeing-backpressure'],
    ['embed.html (challenge)', 'embed.html?challenge=large-file'],
    ['www/embedding.html', 'www/embedding.html'],
    ['the share-link lesson', 'index.html#lab=manual-backpressure&v=1&scenario=manual-backpressure&at=12'],
  ]) {
    test(`axe: ${name} has no violations (${label})`, { timeout: 90000 }, async () => {
      const browser = await launchBrowser({ viewport });
      try {
        const { page, errors } = await openPage(browser, new URL(url, server.url).href);
        if (url.startsWith('embed.html'))
          await page.waitForFunction(() => document.documentElement.dataset.embed === 'ready', null, {
            timeout: 30000,
          });
        else if (url.startsWith('index.html'))
          await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
        else await page.waitForFunction(() => document.querySelectorAll('stream-lab').length > 0);
        await page.waitForTimeout(1500); // charts and embedded labs settle
        // The page's own errors, before axe runs (axe's probes of shadow roots apply inline
        // styles, which the page's CSP refuses and reports).
        assert.deepEqual(errors, []);
        assert.deepEqual(await violations(page), []);
      } finally {
        await browser.close();
      }
    });
  }
}
