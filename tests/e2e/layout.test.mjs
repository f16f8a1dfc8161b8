// Charts that read, at a phone (390 px) and a desktop (1280 px) width: after every experiment,
// sweep and challenge has run, no axis repeats a tick label, no tick label is wider than the
// space its axis has (clipped digits), amounts carry units (no bare "10737418240"), every
// legend shows values without a hover, and no output line is cut off. Screenshots of each lab
// go to tests/artifacts/layout/ (and to $SHOTS_DIR when set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from './harness.mjs';

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
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('.experiment[data-scenario]')].every((el) => Number(el.dataset.runs ?? 0) > 0) &&
        ![...document.querySelectorAll('.exp-status')].some((s) => /Running/.test(s.textContent)) &&
        ![...document.querySelectorAll('[data-challenge]')].some((c) => c.dataset.state === 'running'),
      null,
      { timeout: 120000 },
    )
    .catch(async (err) => {
      const states = await page.evaluate(() =>
        [...document.querySelectorAll('.experiment[data-scenario], [data-challenge]')].map(
          (el) =>
            `${el.dataset.scenario ?? el.dataset.challenge}: runs ${el.dataset.runs}, ${el.dataset.state ?? ''} ${el.querySelector('.exp-status')?.textContent ?? ''}`,
        ),
      );
      throw new Error(`${err.message}\n${states.join('\n')}`);
    });
  await page.waitForTimeout(500); // the last redraws
}

// Every uPlot on the page: its axes' tick labels (as drawn), each axis's size and the widest
// label as the canvas measures it, and its legend's values.
function chartFacts() {
  const out = [];
  for (const root of document.querySelectorAll('.uplot')) {
    const u = root._uplot;
    if (!u) continue;
    const where = root.closest('[data-scenario], [data-challenge]');
    const title = `${root.querySelector('.u-title')?.textContent ?? ''} (${where?.dataset.scenario ?? where?.dataset.challenge ?? 'page'})`;
    const axes = u.axes.map((a, k) => {
      const labels = (a._values ?? []).map((v) => String(v ?? ''));
      u.ctx.save();
      u.ctx.font = a.font?.[0] ?? '12px system-ui';
      const widest = labels.reduce((m, l) => Math.max(m, u.ctx.measureText(l).width), 0);
      u.ctx.restore();
      return {
        k,
        side: a.side,
        size: a._size,
        labels,
        widest: widest / (window.devicePixelRatio || 1),
        shown: a.show !== false,
      };
    });
    const legend = [...root.querySelectorAll('.u-legend .u-value')].map((td) => td.textContent);
    out.push({ title, axes, legend });
  }
  return out;
}

for (const [label, viewport] of WIDTHS) {
  test(`charts and outputs read at ${label} width (${viewport.width} px); screenshots`, {
    timeout: 240000,
  }, async () => {
    const browser = await launchBrowser({ viewport });
    try {
      const { page, errors } = await openPage(browser);
      // Expose each plot to the check (uPlot keeps no handle on its element), from the first
      // one on: plots are kept across runs, so most are built before the page is ready.
      await page.addInitScript(() => {
        let wrapped;
        Object.defineProperty(window, 'uPlot', {
          configurable: true,
          get: () => wrapped,
          set(U) {
            // A subclass keeps uPlot's static members (uPlot.paths, …) and can be called with new.
            wrapped = class extends U {
              constructor(...args) {
                super(...args);
                this.root._uplot = this;
              }
            };
          },
        });
      });
      await page.goto(server.url);
      await waitForStreamlab(page);
      await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
      await runAll(page);
      const charts = await page.evaluate(chartFacts);
      assert.ok(charts.length >= 10, `${charts.length} charts`);
      for (const c of charts) {
        for (const a of c.axes) {
          if (!a.shown) continue;
          const nonEmpty = a.labels.filter((l) => l !== '');
          assert.equal(new Set(nonEmpty).size, nonEmpty.length, `${c.title}: axis ${a.k} repeats a label: ${a.labels}`);
          assert.ok(
            !nonEmpty.some((l) => /\d{7,}/.test(l.replace(/,/g, ''))),
            `${c.title}: a bare big number: ${a.labels}`,
          );
          // A y axis (left or right) must be wider than its widest label: else digits are clipped.
          if (a.side === 1 || a.side === 3)
            assert.ok(a.size >= a.widest, `${c.title}: axis ${a.k} is ${a.size} px for a ${a.widest} px label`);
        }
        assert.ok(
          c.legend.every((v) => v !== '--' && v.trim() !== ''),
          `${c.title}: a legend without a value: ${c.legend.join(' | ')}`,
        );
      }
      // No output line is cut: each output block fits its box (it wraps instead).
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('.output-lines')]
          .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
          .map((pre) => pre.textContent.slice(0, 60)),
      );
      assert.deepEqual(cut, []);
      // The 10 GiB output names its amounts with units.
      const big = await page.locator('[data-scenario="key-insight-10gib"] .output-lines').innerText();
      assert.match(big, /Max buffered, all streams together: 128 KiB/);
      assert.match(big, /Chunks through the pipeline: 163,840/);
      assert.deepEqual(errors, []);

      const dirs = [path.join(ARTIFACTS, 'layout'), process.env.SHOTS_DIR].filter(Boolean);
      for (const d of dirs) fs.mkdirSync(d, { recursive: true });
      const labs = page.locator('.lab-slot > .lab');
      const names = await page.evaluate(() =>
        [...document.querySelectorAll('.lab-slot > .lab')].map(
          (lab, k) =>
            (lab.dataset.scenario ?? lab.querySelector('[data-challenge], [data-scenario]')?.dataset.challenge ?? '') ||
            lab.querySelector('[data-scenario]')?.dataset.scenario ||
            `lab-${k}`,
        ),
      );
      for (const [k, name] of names.entries()) {
        const lab = labs.nth(k);
        await lab.scrollIntoViewIfNeeded();
        const file = `${label}-${String(k).padStart(2, '0')}-${name.split(',')[0]}.png`;
        for (const d of dirs) await lab.screenshot({ path: path.join(d, file) });
      }
    } finally {
      await browser.close();
    }
  });
}
