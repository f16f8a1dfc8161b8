// Helpers for the playground page's browser tests: the native runner as the reference, and
// reading what an experiment printed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './harness.mjs';

const RUNNER = path.join(REPO, 'target/release/streamlab');

export function scenarioFile(name) {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'www/scenarios', `${name}.json`), 'utf8'));
}

// The native runner's result for a scenario (object), as `streamlab run -` prints it.
export function native(scenario, { trace = true } = {}) {
  const args = ['run', '-', ...(trace ? [] : ['--no-trace'])];
  const out = spawnSync(RUNNER, args, { input: JSON.stringify(scenario), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`native runner failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout);
}

export function experiment(page, name) {
  return page.locator(`[data-scenario="${name}"]`).first();
}

// The numbers an experiment's output panel printed: { field: number | string }.
export async function printed(root) {
  return root
    .locator('.output-lines')
    .first()
    .evaluate((pre) => {
      const out = {};
      for (const el of pre.querySelectorAll('[data-field]')) {
        const key = el.dataset.value !== undefined ? `${el.dataset.field}@${el.dataset.value}` : el.dataset.field;
        // Amounts show with units ("10 GiB"); the exact figure is in data-raw.
        const text = el.dataset.raw ?? el.textContent;
        out[key] = /^-?\d+$/.test(text) ? Number(text) : text;
      }
      return out;
    });
}

export async function runs(root) {
  return Number((await root.getAttribute('data-runs')) ?? 0);
}

// Waits for the run counter of an experiment to pass `after`.
export async function waitForRun(root, after, timeout = 20000) {
  await root
    .page()
    .waitForFunction(([el, n]) => Number(el.dataset.runs ?? 0) > n, [await root.elementHandle(), after], { timeout });
}

// Clicks the experiment's own Run button and waits for that run to finish.
export async function clickRun(root) {
  await root.scrollIntoViewIfNeeded();
  await waitForIdle(root);
  const before = await runs(root);
  await root.locator(':scope > .controls button.primary').click();
  await waitForRun(root, before);
}

// An experiment that is already running on its own (it autoruns when shown) finishes first.
export async function waitForIdle(root) {
  await root
    .page()
    .waitForFunction(
      (el) => !/Running|Parameters changed/.test(el.querySelector('.exp-status')?.textContent ?? ''),
      await root.elementHandle(),
      { timeout: 20000 },
    );
}

export async function summaryAttr(root) {
  return JSON.parse(await root.getAttribute('data-summary'));
}

// Types a value into the parameter field for a scenario path (opening "More" if needed).
export async function setField(root, fieldPath, value) {
  const input = root.locator(`[data-path="${fieldPath}"]`).first();
  if (!(await input.isVisible())) await root.locator('.more-params > summary').first().click();
  await input.fill(String(value));
}
