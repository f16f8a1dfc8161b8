// The Code view without running a program: the lesson's code for the form's parameters, the
// form rewriting it, "edited" and Reset, a share link with code (shown, never run), the lazy
// load (nothing of it on the first load, no long task on opening), the engine's absence
// reported, and axe-core with the view open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSuite, startServer, launchBrowser, openPage, waitForStreamlab, DIST, REPO } from './harness.mjs';
import { scenarioFile, setField } from './page-helpers.mjs';
import { openCode, editorText, setCode, runCode, waitForCode } from './code-helpers.mjs';
import { programFor } from '../../www/code/generate.js';
import { encodeState } from '../../www/embed/state.js';

const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');

const suite = browserSuite();

// Requests of the Code view's own files: none may happen before a view is opened.
const CODE_FILES = /\/www\/(code\/|vendor\/code-editor\/|lab-pkg\/)/;

test('the first load fetches nothing of the Code view but its toggle', async () => {
  const { page, errors } = await openPage(suite.browser, null);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(suite.server.url);
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  await page.waitForLoadState('networkidle');
  // The toggles: each experiment's, and the "Run the lesson's code" panel's (its shell, the
  // names it accepts and its line comparison); no editor, no Code view, no engine.
  assert.deepEqual(fetched.filter((p) => CODE_FILES.test(p)).sort(), [
    '/www/code/code-toggle.js',
    '/www/code/expected-output.js',
    '/www/code/lesson-program.js',
    '/www/code/program-names.js',
  ]);
  // Every lesson experiment (the compared pair too) has a closed Code disclosure.
  const toggles = await page.locator('.experiment[data-scenario] .exp-code').count();
  const experiments = await page
    .locator('.lab-experiment.experiment[data-scenario], .lab-compare .experiment[data-scenario]')
    .count();
  assert.ok(experiments >= 5, `experiments: ${experiments}`);
  assert.equal(toggles, experiments);
  assert.equal(await page.locator('.exp-code[open]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("opening a Code view shows the lesson's code with the form's values; the form rewrites it", async () => {
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { exp, view } = await openCode(page, 'seeing-backpressure');
  const scenario = scenarioFile('seeing-backpressure');
  const shown = await editorText(view);
  assert.equal(shown, programFor(scenario));
  assert.match(shown, /super\(\{ highWaterMark: 64 \}\)/);
  assert.match(shown, /super\(\{ highWaterMark: 32 \}\)/);
  assert.match(shown, /new FastProducer\(20\)/);
  assert.match(shown, /setTimeout\(callback, 10\)/);

  await setField(exp, 'sink.highWaterMark', 1000);
  const changed = structuredClone(scenario);
  changed.sink.highWaterMark = 1000;
  assert.equal(await waitForCode(view, /highWaterMark: 1000/), programFor(changed));
  assert.equal(await view.getAttribute('data-edited'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('editing the code says "edited", leaves the form alone, and Reset brings the form\'s code back', async () => {
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { exp, view } = await openCode(page, 'manual-backpressure');
  const original = await editorText(view);
  const edited = view.locator('.code-edited-box');
  assert.equal(await edited.isVisible(), false);

  await view.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\nconsole.log("mine");');
  await edited.waitFor({ state: 'visible' });
  assert.match(await edited.textContent(), /edited/);
  assert.equal(await view.getAttribute('data-edited'), '');
  // The form is untouched, and a form change now leaves the learner's code as it is.
  assert.equal(await exp.locator('[data-path="writeLoop.items"]').inputValue(), '30');
  await setField(exp, 'writeLoop.items', 12);
  await page.waitForFunction((el) => /The form changed/.test(el.textContent), await view.elementHandle());
  assert.match(await editorText(view), /console\.log\("mine"\);$/);

  await view.locator('[data-action="reset-code"]').click();
  const reset = await waitForCode(view, /length: 12/);
  assert.notEqual(reset, original);
  assert.equal(await edited.isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Copy gives a file that real Node runs unchanged', async () => {
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
  const { view } = await openCode(page, 'seeing-backpressure');
  await view.locator('[data-action="copy-code"]').click();
  await page.waitForFunction(
    (el) => /Copied/.test(el.querySelector('.code-note').textContent),
    await view.elementHandle(),
  );
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await editorText(view));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-copy-'));
  try {
    fs.writeFileSync(path.join(dir, 'experiment.mjs'), copied);
    const run = spawnSync(process.execPath, ['experiment.mjs'], { cwd: dir, encoding: 'utf8', timeout: 30000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^=== Seeing Backpressure ===\n\nProducer:\n {2}Total chunks produced: 20\n {2}Times _read\(\) was called: 21\n/,
    );
    assert.match(run.stdout, /Drain events: 4\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a result with streams and samples is drawn with the experiment's views", async () => {
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  await waitForStreamlab(page);
  const drawn = await page.evaluate(async () => {
    const { ProgramViews } = await import(new URL('www/code/program-views.js', document.baseURI).href);
    const views = new ProgramViews();
    document.querySelector('main').append(views.el);
    const before = views.show({ output: [], exitCode: 0 });
    const shown = views.show({
      output: [],
      exitCode: 0,
      streams: [
        { name: 'FastProducer 1', highWaterMark: 64 },
        { name: 'SlowConsumer 1', writableHighWaterMark: 32 },
      ],
      samples: [
        { t: 0, buffered: { 'FastProducer 1': 67, 'SlowConsumer 1': 32 }, total: 99 },
        { t: 10, buffered: { 'FastProducer 1': 9, 'SlowConsumer 1': 27 }, total: 36 },
      ],
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return {
      before,
      shown,
      hidden: views.el.hidden,
      canvases: views.el.querySelectorAll('canvas').length,
      tanks: [...views.el.querySelectorAll('.tank')].map((t) => t.dataset.stream),
      sentences: views.el.querySelector('.chart-sentences').textContent,
    };
  });
  assert.equal(drawn.before, false);
  assert.equal(drawn.shown, true);
  assert.equal(drawn.hidden, false);
  assert.ok(drawn.canvases >= 1, JSON.stringify(drawn));
  assert.deepEqual(drawn.tanks, ['FastProducer 1', 'SlowConsumer 1']);
  assert.match(drawn.sentences, /FastProducer 1/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the editor is keyboard-accessible: Tab indents, Esc then Tab leaves it; typed keys stay in it', async () => {
  const { page, errors } = await openPage(suite.browser, suite.server.url);
  const { exp, view } = await openCode(page);
  await view.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('Tab');
  assert.match(await editorText(view), /^ {2}\/\//, 'Tab indents the line');
  assert.equal(
    await page.evaluate(
      () => document.activeElement?.shadowRoot?.activeElement?.classList.contains('cm-content') ?? false,
    ),
    true,
    'the focus stays in the editor',
  );
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  // The focus left the editor for the next control (Run).
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'run-code');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ControlOrMeta+z');
  // Typed keys go into the code: the experiment's shortcuts (R runs it, P plays, S steps,
  // 0 restarts) are not triggered from inside the editor.
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('// rps0');
  assert.match(await editorText(view), /\/\/ rps0$/);
  assert.equal(await exp.getAttribute('data-runs'), null);
  assert.doesNotMatch(await exp.locator('.exp-status').first().textContent(), /Running|Playing|Paused/);
  await page.keyboard.press('ControlOrMeta+z');
  assert.match(await editorText(view), /^\/\//, 'undo');
  assert.deepEqual(errors, []);
  await page.close();
});

// The longest script task while a Code view opens, with the long animation frames around it.
async function openingCost() {
  const { page, errors } = await openPage(suite.browser, null);
  await page.addInitScript(() => {
    window.__frames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__frames.push({
          at: Math.round(e.startTime),
          ms: Math.round(e.duration),
          scripts: e.scripts.map((x) => ({
            what: `${x.invoker} ${x.sourceURL.split('/').pop()}`,
            ms: Math.round(x.duration),
          })),
        });
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(suite.server.url);
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  const from = await page.evaluate(() => performance.now());
  const { view } = await openCode(page);
  await page.waitForTimeout(300);
  const frames = await page.evaluate((t) => window.__frames.filter((f) => f.at >= t), from);
  assert.ok((await editorText(view)).length > 500);
  assert.deepEqual(errors, []);
  await page.close();
  const longest = Math.max(0, ...frames.flatMap((f) => f.scripts.map((x) => x.ms)));
  return { longest, frames };
}

// Opening loads the editor's module (about 470 KB), builds the view, then gives the editor its
// text a few lines per task. No script task may reach 50 ms. Task lengths are wall time, and the
// machine these tests run on is shared (2 cores, other builds running: load averages of 10 to 17
// were seen while this was written, where the same task took 3 to 6 times longer than on an idle
// machine). So the best of up to five fresh openings is held to the limit, and the limit is 50 ms
// times the machine's load per core beyond 2 runnable tasks per core (1 on an idle or ordinarily
// busy machine). Doing everything in one task measured 100 to 150 ms even with little load, and
// fails this at any load the scaling allows for.
test('opening the Code view holds the main thread for no script task of 50 ms (lazy load)', async () => {
  const tries = [];
  let limit = 50;
  for (let k = 0; k < 5; k++) {
    const perCore = os.loadavg()[0] / os.availableParallelism();
    limit = 50 * Math.max(1, perCore / 2);
    const cost = await openingCost();
    tries.push({ ...cost, limit: Math.round(limit), perCore: perCore.toFixed(1) });
    if (cost.longest < limit) break;
  }
  const best = tries.reduce((a, b) => (b.longest - b.limit < a.longest - a.limit ? b : a));
  console.log(
    `longest script task while opening: ${best.longest} ms (limit ${best.limit} ms, load per core ${best.perCore})`,
  );
  assert.ok(best.longest < best.limit, JSON.stringify(tries));
});

test('a share link with code opens it in the Code view and runs nothing', async () => {
  const { page: maker } = await openPage(suite.browser, suite.server.url);
  const { view: source } = await openCode(maker);
  const code = 'console.log("from a link");\nsetTimeout(() => console.log("later"), 5);\n';
  await setCode(maker, source, code);
  await maker.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
  await source.locator('[data-action="share-code"]').click();
  // The link is made asynchronously (CompressionStream): wait for it.
  await source.locator('[data-action="share-code"][data-link]').waitFor();
  const link = await source.locator('[data-action="share-code"]').getAttribute('data-link');
  assert.match(link, /#lab=seeing-backpressure&.*&code=[A-Za-z0-9_-]+$/);
  await maker.close();

  const { page, errors } = await openPage(suite.browser, null);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(link);
  await waitForStreamlab(page);
  const view = page.locator('.experiment[data-scenario="seeing-backpressure"] [data-code-view]');
  await page.waitForFunction(
    () =>
      document.querySelector('.experiment[data-scenario="seeing-backpressure"] [data-code-view]')?.dataset.state ===
      'ready',
  );
  await page.waitForTimeout(500);
  assert.equal(await editorText(view), code);
  assert.equal(await view.getAttribute('data-state'), 'ready');
  assert.equal(await view.getAttribute('data-edited'), '');
  // Nothing ran: no engine fetched, no Worker, no output; the experiment itself did not run.
  assert.deepEqual(
    fetched.filter((p) => /lab-pkg|program-worker/.test(p)),
    [],
  );
  assert.equal(await view.locator('.out-line').count(), 0);
  assert.equal(await page.locator('.experiment[data-scenario="seeing-backpressure"]').getAttribute('data-runs'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link whose code is not valid is reported, and nothing is opened or run', async () => {
  const { page, errors } = await openPage(suite.browser, null);
  await page.goto(
    `${suite.server.url}#lab=seeing-backpressure&${encodeState({ scenario: 'seeing-backpressure' })}&code=%3Cscript%3E`,
  );
  await waitForStreamlab(page);
  await page.locator('#notice').waitFor({ state: 'visible' });
  assert.match(await page.locator('#notice').textContent(), /code could not be opened: the code is not base64url/);
  assert.equal(await page.locator('[data-code-view] .cm-content').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('without the engine, Run says how to build it', async () => {
  // A copy of dist/ without www/lab-pkg.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-nolab-'));
  fs.cpSync(DIST, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}lab-pkg`) });
  const bare = await startServer(root);
  try {
    const { page } = await openPage(suite.browser, bare.url);
    const { view } = await openCode(page);
    assert.equal(await runCode(page, view), 'failed');
    assert.match(
      await view.locator('.code-status').textContent(),
      /The code lab's engine is not built: run \.\/build\.sh lab/,
    );
    assert.match(await view.locator('.program-output [role="alert"]').textContent(), /run \.\/build\.sh lab/);
    assert.equal(await view.getAttribute('data-engine'), 'missing');
    await page.close();
  } finally {
    await bare.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
]) {
  test(`axe: no violations with a Code view open (${label}), light and dark`, async () => {
    const b = await launchBrowser({ viewport });
    try {
      const { page, errors } = await openPage(b, suite.server.url);
      const { view } = await openCode(page);
      await setCode(page, view, 'console.log("x");\nlet y = ;\n');
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
        assert.deepEqual(found, [], theme);
      }
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
