// The challenges' code steps in headless Chromium, on the code lab's engine: each passes with
// a correct program (the stream corpus's solutions) and says "not yet" with the reason for a
// wrong one; printing the expected text passes nothing; Stop ends an endless loop, and the
// engine's own limit ends one too; `passed: true` in localStorage does not make the code step
// passed, a stored program is re-run on load and only a passing one shows "Passed".
// Screenshots go to tests/artifacts/challenge-code-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS, REPO } from './harness.mjs';
import { requireLab, setCode, editorText } from './code-helpers.mjs';

const corpus = (name) => fs.readFileSync(path.join(REPO, 'tests/programs/streams', name), 'utf8');
const LARGE = corpus('challenge-code-1-large-file.mjs');
const THROTTLE = corpus('challenge-code-2-throttle.mjs');
const NARROW = corpus('challenge-code-3-narrow.mjs');
const KEY = 'streamlab-challenges';
const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let page;
let errors;

async function ready() {
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
}

before(async () => {
  requireLab();
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  ({ page, errors } = await openPage(browser, server.url));
  await ready();
  await page.evaluate((k) => localStorage.removeItem(k), KEY);
  await page.reload();
  await ready();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const step = (id) => page.locator(`[data-code-step="${id}"]`);

// Opens a code step and waits for its editor.
async function open(id) {
  const s = step(id);
  const details = s.locator('details.code-step');
  if (!(await details.evaluate((d) => d.open))) {
    await s.locator('details.code-step > summary').scrollIntoViewIfNeeded();
    await s.locator('details.code-step > summary').click();
  }
  await s.locator('.cm-content').waitFor();
  await page.waitForFunction((el) => !/^(loading|idle)$/.test(el.dataset.state), await s.elementHandle());
  return s;
}

// Presses the step's Check and waits for the verdict: { passed, reasons }.
async function check(id, { timeout = 120000 } = {}) {
  const s = step(id);
  const was = await s.getAttribute('data-result');
  await s.locator('[data-action="code-check"]').click();
  await page.waitForFunction(
    ([el, before]) => /^(passed|not-yet)$/.test(el.dataset.state) && el.dataset.result !== before,
    [await s.elementHandle(), was],
    { timeout },
  );
  const result = JSON.parse(await s.getAttribute('data-result'));
  const verdict = await s.locator('.code-verdict').innerText();
  assert.match(verdict, result.passed ? /^Passed\./ : /^Not yet\./);
  for (const r of result.reasons) assert.ok(verdict.includes(r), `${r} shown`);
  const badge = await s.locator('.code-badge').innerText();
  // The badge never contradicts the verdict.
  if (result.passed) assert.equal(badge, 'Passed ✓');
  else assert.notEqual(badge, 'Passed ✓');
  return result;
}

async function shot(id, name) {
  const s = step(id);
  await s.scrollIntoViewIfNeeded();
  await page.waitForTimeout(200); // let uPlot draw
  await s.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

test('large file: ignoring write() is "not yet" with the count of false answers; the corpus solution passes', {
  timeout: 240000,
}, async () => {
  await open('large-file');
  assert.match(await editorText(step('large-file')), /TODO 1: a slow Writable/);
  const ignoring = `import { Writable } from "node:stream";
const block = Buffer.alloc(1024 * 1024, 0x61);
class SlowDestination extends Writable {
  _write(chunk, encoding, callback) { setTimeout(callback, 5); }
}
const destination = new SlowDestination();
const log = setInterval(() => console.log(\`\${performance.now()} ms: rss \${process.memoryUsage().rss} bytes\`), 100);
for (let i = 0; i < 1024; i++) destination.write(block);
destination.end();
destination.on("finish", () => clearInterval(log));
`;
  await setCode(page, step('large-file'), ignoring);
  let r = await check('large-file');
  assert.equal(r.passed, false);
  assert.match(
    r.reasons.join(' '),
    /Modelled memory rose to 1\.03 GiB, over the bound of 64 MiB: SlowDestination 1's write\(\) returned false 1,024 times and the program kept writing \(1,023 more write\(\) calls before a 'drain'\)/,
  );
  assert.match(r.reasons.join(' '), /logged rss 1\.\d+ GiB at 100 ms/);

  // Printing the expected text passes nothing.
  await setCode(page, step('large-file'), 'console.log("Passed. 1 GiB went through with memory 32 MiB");\n');
  r = await check('large-file');
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /No stream took any data/);

  await setCode(page, step('large-file'), LARGE);
  r = await check('large-file');
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(
    r.reasons[0],
    /^1 GiB went through SlowDestination 2 in 5\.1 s of virtual time; modelled memory peaked at 32 MiB \(bound 64 MiB\).*peaked at 1\.03 GiB/,
  );
  // The run's streams are drawn as the Code view draws them, and its output is shown.
  assert.equal(await step('large-file').locator('.code-views').isHidden(), false);
  assert.match(
    await step('large-file').locator('.program-output').innerText(),
    /done at 5120 ms: 1073741824 bytes written/,
  );
  await shot('large-file', 'challenge-code-large-file');
});

test('throttle: 20% too fast is "not yet" with the measured rate; the corpus solution passes', {
  timeout: 120000,
}, async () => {
  await open('throttle');
  const fast = THROTTLE.replace(
    '(this.bytes / this.bytesPerSecond) * 1000',
    '(this.bytes / (this.bytesPerSecond * 1.2)) * 1000',
  );
  assert.notEqual(fast, THROTTLE);
  await setCode(page, step('throttle'), fast);
  let r = await check('throttle');
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /Throttle 3 passed 384 KiB on in 5 s: 76\.8 KiB\/s, 20% above N = 64 KiB\/s/);

  // The starter as given passes everything on at once.
  await step('throttle').locator('[data-action="code-reset"]').click();
  r = await check('throttle');
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /all at once, it is not throttled/);

  await setCode(page, step('throttle'), THROTTLE);
  r = await check('throttle');
  assert.equal(r.passed, true, r.reasons.join(' '));
  assert.match(r.reasons[0], /64 KiB\/s against N = 64 KiB\/s, each of 6 full seconds/);
  assert.equal(await step('throttle').locator('.code-windows-table tbody tr').count(), 6);
  // The tanks in pipeline order (source, transform, sink), not the order the streams were made.
  assert.deepEqual(await step('throttle').locator('.tank-name').allInnerTexts(), [
    'new Readable 1',
    'Throttle 3',
    'new Writable 2',
  ]);
  // The chart's sentences say what was drawn: samples of a traced run.
  const said = await step('throttle').locator('.chart-sentences').innerText();
  assert.doesNotMatch(said, /trace was off/);
  assert.match(said, /samples of each stream's buffered amount, taken at the end of event-loop turns/);
  await shot('throttle', 'challenge-code-throttle');
});

test("narrow: the sweep runs the learner's program at each highWaterMark; answers are checked against it", {
  timeout: 180000,
}, async () => {
  const s = await open('narrow-transform');
  await setCode(page, s, NARROW.replace('const TRANSFORM_HWM = 1;', 'const TRANSFORM_SIZE = 1;'));
  let r = await check('narrow-transform');
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /needs the line `const TRANSFORM_HWM = 1;`.*not there/);

  await setCode(page, s, NARROW);
  r = await check('narrow-transform');
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /^Pick what happened to throughput/);
  const hwms = await s.locator('.code-narrow-table tbody th').allInnerTexts();
  assert.deepEqual(hwms, ['1', '16', '256', '4096', '65536']);

  // A wrong answer is told what the runs show.
  await s.locator('[data-code-choice="falls"]').check();
  await s.locator('[data-code-choice="more-reads"]').check();
  r = await check('narrow-transform');
  assert.equal(r.passed, false);
  assert.match(r.reasons.join(' '), /at highWaterMark 1 the program took 401 ms of virtual time and at 65536 401 ms/);

  await s.locator('[data-code-choice="same"]').check();
  await s.locator('[data-code-choice="straight-through"]').check();
  r = await check('narrow-transform');
  assert.equal(r.passed, true, r.reasons.join(' '));
  await shot('narrow-transform', 'challenge-code-narrow');

  // The open step (controls, questions, verdict, table, views) has no axe violations. The
  // editor itself is left out: CodeMirror's scroller draws "scrollable-region-focusable" in
  // the Code view too (its editable content is inside a shadow root); that is the shared
  // editor's, not this step's.
  await page.evaluate(AXE);
  const found = await s.evaluate(async (el) => {
    const context = { include: [el], exclude: [el.querySelector('.code-editor')] };
    const res = await window.axe.run(context, { resultTypes: ['violations'] });
    return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(found, []);
  // Keyboard: the questions and buttons are reached with Tab and worked with keys.
  await s.locator('[data-action="code-hint"]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await s.locator('.code-hints li').count(), 1);
});

test("an endless loop: Stop ends it, and so does the engine's own limit", { timeout: 120000 }, async () => {
  const s = await open('throttle');
  await setCode(page, s, 'let i = 0;\nwhile (true) {\n  i++;\n}\n');
  await s.locator('[data-action="code-run"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'running', await s.elementHandle());
  assert.equal(await s.locator('[data-action="code-stop"]').isEnabled(), true);
  await s.locator('[data-action="code-stop"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'stopped', await s.elementHandle());
  assert.match(await s.locator('.code-status').innerText(), /Stopped/);
  assert.equal(await s.locator('[data-action="code-stop"]').isEnabled(), false);

  // Stop ends a Check too: nothing is checked, nothing stored.
  const storedBefore = await page.evaluate((k) => localStorage.getItem(k), KEY);
  await s.locator('[data-action="code-check"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'checking', await s.elementHandle());
  await s.locator('[data-action="code-stop"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'stopped', await s.elementHandle());
  assert.equal(await s.locator('.code-verdict').innerText(), 'Stopped: nothing was checked.');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), storedBefore);

  // Left alone, the engine stops it with its limit message.
  await s.locator('[data-action="code-run"]').click();
  await page.waitForFunction((el) => el.dataset.state !== 'running', await s.elementHandle(), { timeout: 90000 });
  assert.equal(await s.getAttribute('data-exit-code'), '3');
  assert.match(await s.locator('.program-exit').innerText(), /^Exit code 3 \(a limit of the runner\)/);
  assert.match(await s.locator('.program-output').innerText(), /loop ran more than the runner's limit of iterations/);
  // Checking it says why, and passes nothing.
  const r = await check('throttle', { timeout: 90000 });
  assert.equal(r.passed, false);
  assert.match(r.reasons[0], /did not finish: exit code 3 \(a limit of the runner\)/);
});

test('stored progress: passed: true alone is not a pass; a stored passing program is re-run and shows Passed', {
  timeout: 180000,
}, async () => {
  // What the earlier tests stored: the passing programs, with their digests.
  const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
  assert.equal(stored.challenges.throttle.code.source, THROTTLE);
  assert.match(stored.challenges.throttle.code.digest, /^[0-9a-f]{64}$/);

  // Forged: every challenge "passed", a code step with a starter that does not pass.
  await page.evaluate((k) => {
    const digest = 'a'.repeat(64);
    localStorage.setItem(
      k,
      JSON.stringify({
        version: 1,
        challenges: {
          'large-file': { passed: true },
          'narrow-transform': { passed: true, code: { passed: true } },
          throttle: { passed: true, code: { source: 'console.log("Passed.");', digest } },
        },
      }),
    );
  }, KEY);
  await page.reload();
  await ready();
  for (const id of ['large-file', 'narrow-transform']) {
    assert.equal(await step(id).locator('.code-badge').innerText(), 'Not passed yet');
    assert.equal(await step(id).getAttribute('data-verified'), null);
  }
  await page.waitForFunction((el) => el.dataset.verified === 'false', await step('throttle').elementHandle(), {
    timeout: 60000,
  });
  assert.equal(await step('throttle').locator('.code-badge').innerText(), 'Not passed yet');
  assert.match(await step('throttle').locator('.code-recheck').innerText(), /does not pass now.*No Transform/s);
  // The lesson's progress list: the explore steps passed (stored), no code step.
  const codeLine = (id) => page.locator(`.challenge-progress [data-code-of="${id}"]`).innerText();
  for (const id of ['large-file', 'throttle', 'narrow-transform'])
    assert.equal(await codeLine(id), '; as code: not passed yet');

  // The real stored passes: re-run on load, then "Passed".
  await page.evaluate(([k, data]) => localStorage.setItem(k, JSON.stringify(data)), [KEY, stored]);
  await page.reload();
  await ready();
  for (const id of ['large-file', 'throttle', 'narrow-transform']) {
    await page.waitForFunction((el) => el.dataset.verified === 'true', await step(id).elementHandle(), {
      timeout: 90000,
    });
    assert.equal(await step(id).locator('.code-badge').innerText(), 'Passed ✓');
    assert.equal(await step(id).getAttribute('data-digest-match'), 'true');
    assert.equal(await codeLine(id), '; as code: passed');
  }
  // Opened, the step shows the stored program.
  await open('throttle');
  assert.equal(await editorText(step('throttle')), THROTTLE);
  assert.deepEqual(errors, []);
});
