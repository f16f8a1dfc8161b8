// Running code in the Code view on the code lab's engine (www/lab-pkg): Node's exact output
// with virtual times (checked against real `node` running the same file), a syntax error's line
// marked, an infinite loop ended by the engine's limit, Stop ending a run at once, and
// window.streamlab.runProgram. Needs the engine: without it every test here fails saying how
// to build it (./build.sh lab).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSuite, launchBrowser, openPage, waitForStreamlab, REPO } from './harness.mjs';
import { runNode as runOracle } from '../node/program-oracle.mjs';
import { requireLab, openCode, setCode, runCode, outputRows, editorMarks } from './code-helpers.mjs';

const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');

const suite = browserSuite();

// Real Node 20 running `source` as experiment.mjs: { stdout, stderr, status }. With `virtual`,
// its timers run on the program oracle's virtual clock (tests/node/program-clock.cjs), the
// model the engine follows: on a busy machine real timers 5 ms apart can swap places.
function realNode(source, { virtual = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-code-'));
  try {
    const file = path.join(dir, 'experiment.mjs');
    fs.writeFileSync(file, source);
    if (virtual) {
      const r = runOracle(file);
      return { stdout: r.stdout, stderr: r.stderr, status: r.code };
    }
    const out = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20000 });
    return { stdout: out.stdout, stderr: out.stderr, status: out.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Console output at several virtual times: timers (nested too), a nextTick, a promise job,
// console.error, and util.inspect formatting. The lines Node prints do not depend on the clock.
const TIMERS = `console.log("start", 1, { a: [1, "x"] });
setTimeout(() => console.log("after 20 ms"), 20);
setTimeout(() => {
  console.log("after 5 ms");
  setTimeout(() => console.log("then 10 more: %d", 15), 10);
}, 5);
Promise.resolve().then(() => console.log("a promise job"));
process.nextTick(() => console.log("a tick"));
console.error("to stderr");
`;
const EXPECTED_TIMES = [
  ["start 1 { a: [ 1, 'x' ] }", 0],
  ['to stderr', 0],
  ['a promise job', 0],
  ['a tick', 0],
  ['after 5 ms', 5],
  ['then 10 more: 15', 15],
  ['after 20 ms', 20],
];

test("Run prints Node's exact lines, each with its virtual time", async () => {
  requireLab();
  const node = realNode(TIMERS, { virtual: true });
  assert.equal(node.status, 0, node.stderr);
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  await setCode(page, view, TIMERS);
  assert.equal(await runCode(page, view), 'done');
  const rows = await outputRows(view);
  const joined = (stream) =>
    rows
      .filter((r) => r.stream === stream)
      .map((r) => `${r.text}\n`)
      .join('');
  assert.equal(joined('stdout'), node.stdout);
  assert.equal(joined('stderr'), node.stderr);
  // In the order the program wrote them, at the virtual times its timers say.
  assert.deepEqual(
    rows.map((r) => [r.text, r.t]),
    EXPECTED_TIMES.sort((a, b) => a[1] - b[1] || 0),
  );
  // Each write shows its time on its first line (the engine may join writes of one moment).
  const shownTimes = await view.locator('.out-line .out-t').allTextContents();
  shownTimes.forEach((shown, i) => {
    if (shown !== `${rows[i].t} ms`)
      assert.ok(shown === '' && i > 0 && rows[i - 1].t === rows[i].t, `row ${i}: ${shown}`);
  });
  assert.deepEqual([...new Set(shownTimes.filter(Boolean))], ['0 ms', '5 ms', '15 ms', '20 ms']);
  assert.equal(await view.locator('.out-line.stderr').count(), 1);
  assert.equal(await view.getAttribute('data-exit-code'), '0');
  assert.match(await view.locator('.out-exit').textContent(), /^Exit code 0 \(finished\) at 20 ms virtual/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a syntax error marks its line, and its link takes the cursor there', async () => {
  requireLab();
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  const source = 'console.log("fine");\nconst a = 1;\nlet x = ;\nconsole.log(a);\n';
  assert.equal(realNode(source).status, 1); // Node refuses it too
  await setCode(page, view, source);
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await view.getAttribute('data-exit-code'), '2');
  assert.deepEqual((await editorMarks(view)).marked, [3]);
  assert.match(await view.locator('.code-status').textContent(), /line 3 marked/);
  // The report names experiment.mjs:3; its link moves the cursor to line 3 and focuses the editor.
  const link = view.locator('.code-loc').first();
  assert.equal(await link.textContent(), 'experiment.mjs:3');
  await page.keyboard.press('ControlOrMeta+Home'); // the cursor elsewhere first
  await link.click();
  const marks = await editorMarks(view);
  assert.equal(marks.cursorLine, 3);
  assert.deepEqual(marks.marked, [3]);
  assert.equal(
    await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.classList.contains('cm-content')),
    true,
  );
  // Editing the text clears the mark.
  await page.keyboard.insertText(' ');
  assert.deepEqual((await editorMarks(view)).marked, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an uncaught error's line is marked from its stack", async () => {
  requireLab();
  const source = 'setTimeout(() => {\n  console.log("about to throw");\n  throw new Error("boom");\n}, 5);\n';
  const node = realNode(source);
  assert.equal(node.status, 1);
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  await setCode(page, view, source);
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await view.getAttribute('data-exit-code'), '1');
  assert.deepEqual((await editorMarks(view)).marked, [3]);
  const rows = await outputRows(view);
  assert.deepEqual(rows[0], { t: 5, stream: 'stdout', text: 'about to throw' });
  assert.ok(rows.slice(1).every((r) => r.stream === 'stderr' && r.t === 5));
  assert.match(rows.map((r) => r.text).join('\n'), /Error: boom/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an infinite loop ends with the engine's limit message; Stop ends a run at once", async () => {
  requireLab();
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  await setCode(page, view, 'console.log("looping");\nwhile (true) {}\n');
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await view.getAttribute('data-exit-code'), '3');
  const text = (await outputRows(view)).map((r) => r.text).join('\n');
  assert.match(text, /^looping\nStreamlab stopped the program: a loop ran more than the runner's limit/);
  assert.match(await view.locator('.out-exit').textContent(), /Exit code 3 \(a limit of the runner\)/);

  // A run that takes long (timers far apart in many rounds): Stop ends it, no output shown.
  await setCode(
    page,
    view,
    'let n = 0;\nfunction spin() {\n  for (let i = 0; i < 5e6; i++) n += i;\n  setTimeout(spin, 1);\n}\nspin();\n',
  );
  await view.locator('[data-action="run-code"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'running', await view.elementHandle());
  await page.waitForTimeout(300);
  // One Worker runs the program (the one readied after the last run); Stop ends that one.
  const running = page.workers().filter((w) => w.url().endsWith('/program-worker.js'));
  assert.equal(running.length, 1);
  const closed = new Promise((resolve) => running[0].once('close', resolve));
  const t0 = Date.now();
  await view.locator('[data-action="stop-code"]').click();
  await page.waitForFunction((el) => el.dataset.state === 'stopped', await view.elementHandle(), { timeout: 2000 });
  assert.ok(Date.now() - t0 < 2000);
  assert.match(await view.locator('.code-status').textContent(), /Stopped/);
  assert.equal(await view.locator('.out-line').count(), 0);
  assert.equal(await view.locator('[data-action="run-code"]').isDisabled(), false);
  await Promise.race([
    closed,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the running Worker was not ended')), 2000)),
  ]);
  // The next run's Worker is ready again, and a run after Stop works.
  await setCode(page, view, 'console.log("after stop");\n');
  assert.equal(await runCode(page, view), 'done');
  assert.deepEqual(await outputRows(view), [{ t: 0, stream: 'stdout', text: 'after stop' }]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('window.streamlab.runProgram resolves to the engine result', async () => {
  requireLab();
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  await waitForStreamlab(page);
  const result = await page.evaluate(() =>
    window.streamlab.runProgram('console.log("hi");\nsetTimeout(() => console.error("late"), 7);\n', {
      filename: 'api.mjs',
      trace: true,
    }),
  );
  assert.deepEqual(result.output, [
    { t: 0, stream: 'stdout', text: 'hi\n' },
    { t: 7, stream: 'stderr', text: 'late\n' },
  ]);
  assert.equal(result.exitCode, 0);
  assert.equal(result.endedAt, 7);
  const bad = await page.evaluate(() =>
    window.streamlab.runProgram('import fs from "node:fs";\n', { filename: 'api.mjs' }),
  );
  assert.equal(bad.exitCode, 2);
  assert.match(bad.message, /^api\.mjs:1:\d+\nERR_UNSUPPORTED: node:fs is not available in Streamlab/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe: no violations after a run with output and a marked line (light and dark)', async () => {
  requireLab();
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    const b = await launchBrowser({ viewport });
    try {
      const { page, errors } = await openPage(b, suite.server.url);
      const { view } = await openCode(page);
      await setCode(page, view, 'console.log("ok");\nconsole.error("warn");\nnull.x;\n');
      assert.equal(await runCode(page, view), 'done');
      for (const theme of ['light', 'dark']) {
        await page.evaluate((t) => {
          document.documentElement.dataset.theme = t;
          document.dispatchEvent(new CustomEvent('streamlab:theme', { detail: { theme: t } }));
        }, theme);
        await page.evaluate(AXE);
        const found = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        assert.deepEqual(found, [], `${viewport.width}px ${theme}`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  }
});

// The lesson's first experiment as code: the streams it makes are drawn as a scenario's are
// (tanks, chart, timeline), named as the engine names them, and its output is Node's.
const SEEING = fs.readFileSync(path.join(REPO, 'tests/programs/streams/lesson-1-seeing-backpressure.mjs'), 'utf8');

test("a stream program's streams are drawn, named by their classes, and it prints Node's lines", async () => {
  requireLab();
  const node = realNode(SEEING, { virtual: true });
  assert.equal(node.status, 0, node.stderr);
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { view } = await openCode(page);
  await setCode(page, view, SEEING);
  assert.equal(await runCode(page, view), 'done');
  const rows = await outputRows(view);
  const lines = rows.filter((r) => r.stream === 'stdout').map((r) => r.text);
  assert.deepEqual(lines, node.stdout.replace(/\n$/, '').split('\n'));
  const views = view.locator('.code-views');
  await views.waitFor({ state: 'visible', timeout: 10000 });
  const timeline = await views.locator('.timeline').innerText();
  assert.match(timeline, /FastProducer 1/);
  assert.match(timeline, /SlowConsumer 2/);
  assert.match(timeline, /Trace events \d+/);
  assert.ok((await views.locator('.chart-figure canvas').count()) > 0, 'a chart is drawn');
  assert.deepEqual(errors, []);
  await page.close();
});
