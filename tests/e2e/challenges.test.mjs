// The lesson's three challenges in headless Chromium: each passes with a right answer and
// says "not yet" (with the reason) with a wrong one; hints come one at a time; progress is
// shown in the lesson and survives a reload; Reset clears it. Screenshots go to
// tests/artifacts/challenge-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from './harness.mjs';

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  ({ page, errors } = await openPage(browser, server.url));
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  await page.evaluate(() => localStorage.removeItem('streamlab-challenges'));
  await page.reload();
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const challenge = (id) => page.locator(`.challenge[data-challenge="${id}"]`);

// Fills the named fields, presses Check, waits for the verdict: { passed, reasons }.
async function check(id, values = {}, choices = {}) {
  const root = challenge(id);
  await root.scrollIntoViewIfNeeded();
  for (const [name, value] of Object.entries(values)) await root.locator(`[data-field="${name}"]`).fill(String(value));
  for (const value of Object.values(choices)) await root.locator(`[data-choice="${value}"]`).check();
  const before = await root.getAttribute('data-result');
  await root.locator('[data-action="check"]').click();
  await page.waitForFunction(
    ([el, was]) => /^(passed|not-yet|invalid)$/.test(el.dataset.state) && el.dataset.result !== was,
    [await root.elementHandle(), before],
    { timeout: 120000 },
  );
  const state = await root.getAttribute('data-state');
  assert.notEqual(state, 'invalid', await root.locator('.challenge-form').innerText());
  const result = JSON.parse(await root.getAttribute('data-result'));
  // What the learner reads says the same as the data attribute.
  const verdict = await root.locator('.challenge-verdict').innerText();
  assert.match(verdict, result.passed ? /^Passed\./ : /^Not yet\./);
  for (const r of result.reasons) assert.ok(verdict.includes(r), `${r} shown`);
  return result;
}

async function shot(id, name) {
  const root = challenge(id);
  await root.scrollIntoViewIfNeeded();
  await page.waitForTimeout(150); // let uPlot draw
  await root.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

test('large file: too small, then write() ignored, then the core\'s limit, all "not yet"; 1 GiB piped passes', {
  timeout: 180000,
}, async () => {
  let r = await check('large-file', { fileMiB: 256, chunkKiB: 64, sinkMs: 5 });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /at least 1 GiB/);

  await challenge('large-file').locator('[data-field="method"]').selectOption('loop-ignore');
  r = await check('large-file', { fileMiB: 1024 });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /over the bound of 64 MiB.*ignored write\(\)'s return value/);

  // 1 KiB chunks: a million chunks now fit the core's event budget, and stay bounded.
  await challenge('large-file').locator('[data-field="method"]').selectOption('pipeline');
  r = await check('large-file', { fileMiB: 1100, chunkKiB: 1 });
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(r.reasons[0], /^A 1\.07 GiB file went through with peak modelled memory 30\.1 MiB/);

  // 10 s per chunk: longer than the core's million samples. Refused at the field, not sent
  // to the core (whose message would say "raise sampleEveryMs", a field the learner lacks).
  const lf = challenge('large-file');
  await lf.locator('[data-field="fileMiB"]').fill('1024');
  await lf.locator('[data-field="chunkKiB"]').fill('64');
  await lf.locator('[data-field="sinkMs"]').fill('10000');
  await lf.locator('[data-action="check"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'invalid', await lf.elementHandle());
  assert.equal(await lf.locator('[data-field="sinkMs"]').getAttribute('aria-invalid'), 'true');
  assert.match(
    (await lf.locator('.field-error').allInnerTexts()).join(' '),
    /Sink time per chunk \(ms\): 16,384 chunks take at least 45\.5 h of virtual time, more than the core samples/,
  );

  r = await check('large-file', { fileMiB: 1024, chunkKiB: 64, sinkMs: 5 });
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(r.reasons[0], /1 GiB file went through with peak modelled memory 30\.1 MiB.*peaks at 1\.03 GiB/);
  const root = challenge('large-file');
  assert.equal(await root.locator('.challenge-badge').innerText(), 'Passed ✓');
  assert.equal((await root.locator('canvas').count()) > 0, true, 'the memory chart is drawn');
  // The growth table: flat with backpressure, growing with the file without.
  const rows = await root.locator('.growth-table tbody tr').allInnerTexts();
  assert.deepEqual(
    rows.map((t) => t.split('\t')),
    [
      ['256 MiB', '30.1 MiB', '286 MiB'],
      ['512 MiB', '30.1 MiB', '542 MiB'],
      ['1 GiB', '30.1 MiB', '1.03 GiB'],
    ],
  );
  await shot('large-file', 'challenge-large-file');
});

test('throttle: no rate picked is marked at the field and runs nothing', async () => {
  const root = challenge('throttle');
  await root.scrollIntoViewIfNeeded();
  await root.locator('[data-field="rate"]').fill('');
  await root.locator('[data-action="check"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'invalid', await root.elementHandle());
  assert.equal(await root.locator('[data-field="rate"]').getAttribute('aria-invalid'), 'true');
  assert.match(await root.locator('.field-error').first().innerText(), /Rate N \(bytes\/s\): enter a number/);
});

test('throttle: a sink too slow to finish within an hour is refused at its field, not run for hours', async () => {
  const root = challenge('throttle');
  await root.scrollIntoViewIfNeeded();
  const fill = async (values) => {
    for (const [k, v] of Object.entries(values)) await root.locator(`[data-field="${k}"]`).fill(v);
  };
  // 65,536 chunks at 10 s each: about a week of virtual time, millions of 100 ms slices.
  await fill({ rate: '262144', dataMiB: '1024', chunkKiB: '16', sinkMs: '10000' });
  await root.locator('[data-action="check"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'invalid', await root.elementHandle(), { timeout: 5000 });
  assert.equal(await root.locator('[data-field="sinkMs"]').getAttribute('aria-invalid'), 'true');
  assert.match(
    await root
      .locator('.field-error')
      .allInnerTexts()
      .then((t) => t.join(' ')),
    /Sink time per chunk \(ms\): the sink alone would take 182 h of virtual time for 65,536 chunks; keep it under an hour/,
  );
  await fill({ dataMiB: '4', chunkKiB: '16', sinkMs: '' });
});

test('throttle: wrong and right rates', { timeout: 120000 }, async () => {
  let r = await check('throttle', { rate: 262144, sinkMs: 100 });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /below N = 256 KiB\/s.*The sink is the bottleneck/);
  r = await check('throttle', { rate: 262144, sourceHwmKiB: 8192, sinkMs: '' });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /Upstream .* over the bound of 1 MiB/);
  r = await check('throttle', { rate: 262144, sourceHwmKiB: 64, sinkMs: '' });
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(r.reasons[0], /^Measured 256 KiB\/s against N = 256 KiB\/s over 16 s/);
  await shot('throttle', 'challenge-throttle');
});

test("narrow transform: the right answer is the one the sweep's data supports", { timeout: 180000 }, async () => {
  let r = await check('narrow-transform', {}, { t: 'falls', w: 'more-reads' });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /does not show that/);
  // The page's answer comes from its sweep: with every stage synchronous nothing changes.
  const rows = JSON.parse(await challenge('narrow-transform').getAttribute('data-sweep'));
  assert.deepEqual(
    rows.map((x) => x.hwm),
    [1, 16, 256, 4096, 65536],
  );
  assert.ok(rows.every((x) => x.readCalls === rows[0].readCalls && x.events === rows[0].events));
  r = await check('narrow-transform', {}, { t: 'same', w: 'straight-through' });
  assert.equal(r.passed, true, r.reasons.join(' '));
  await shot('narrow-transform', 'challenge-narrow-transform');

  // An asynchronous transform changes the data, and with it the right answer.
  r = await check('narrow-transform', { transformDelay: 0 }, { t: 'same', w: 'straight-through' });
  assert.equal(r.passed, false);
  const slow = JSON.parse(await challenge('narrow-transform').getAttribute('data-sweep'));
  assert.ok(slow[0].transformFalse >= 1000, `write() → false per chunk at hwm 1: ${slow[0].transformFalse}`);
  assert.deepEqual(
    slow.map((x) => x.endedAtMs),
    slow.map(() => 2000),
  );
  r = await check('narrow-transform', {}, { t: 'falls', w: 'drain-per-chunk' });
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /2000 ms of virtual time and the largest 2000 ms/);
  // The badge does not say "Passed" beside a "Not yet".
  assert.match(await challenge('narrow-transform').locator('.challenge-badge').textContent(), /this check: not yet/);
  r = await check('narrow-transform', {}, { t: 'same', w: 'drain-per-chunk' });
  assert.equal(r.passed, true, r.reasons.join(' '));
  await challenge('narrow-transform').locator('[data-field="transformDelay"]').fill('');
});

test('hints come one at a time', async () => {
  const root = challenge('throttle');
  await root.scrollIntoViewIfNeeded();
  assert.equal(await root.locator('.challenge-hints li').count(), 0);
  await root.locator('[data-action="hint"]').click();
  assert.equal(await root.locator('.challenge-hints li').count(), 1);
  await root.locator('[data-action="hint"]').click();
  assert.equal(await root.locator('.challenge-hints li').count(), 2);
  assert.match(await root.locator('[data-action="hint"]').innerText(), /3 of 4/);
});

test('progress is shown in the lesson and survives a reload; Reset clears one', { timeout: 60000 }, async () => {
  const progress = page.locator('.challenge-progress');
  assert.equal(await progress.getAttribute('data-passed'), '3');
  assert.match(await progress.innerText(), /3 of 3 challenges passed/);
  await progress.scrollIntoViewIfNeeded();
  await progress.screenshot({ path: path.join(ARTIFACTS, 'challenge-progress.png') });

  await page.reload();
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  assert.equal(await page.locator('.challenge-progress').getAttribute('data-passed'), '3');
  for (const id of ['large-file', 'throttle', 'narrow-transform']) {
    assert.equal(await challenge(id).locator('.challenge-badge').innerText(), 'Passed ✓', id);
  }
  // Hints shown and the last inputs came back too.
  assert.equal(await challenge('throttle').locator('.challenge-hints li').count(), 2);
  assert.equal(await challenge('large-file').locator('[data-field="fileMiB"]').inputValue(), '1024');

  await challenge('throttle').locator('[data-action="reset"]').click();
  assert.equal(await challenge('throttle').locator('.challenge-badge').innerText(), 'Not passed yet');
  assert.equal(await challenge('throttle').locator('[data-field="rate"]').inputValue(), '');
  assert.equal(await page.locator('.challenge-progress').getAttribute('data-passed'), '2');
  await page.reload();
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  assert.equal(await page.locator('.challenge-progress').getAttribute('data-passed'), '2');
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
