// Lesson rendering in headless Chromium: the course's own lesson file renders unchanged
// (front matter read, sections, code shown, nothing run); hostile markdown runs nothing;
// ?lesson= only loads .md files under www/lessons/; streamlab blocks place experiments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, REPO, ARTIFACTS } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = '') {
  const { page, errors } = await openPage(browser, server.url + query);
  await waitForStreamlab(page);
  return { page, errors };
}

test("the course's lesson file renders unchanged: front matter, sections, code, no experiments", {
  timeout: 60000,
}, async () => {
  const text = fs.readFileSync(path.join(REPO, 'tests/fixtures/course-backpressure.md'), 'utf8');
  const { page, errors } = await open();
  const info = await page.evaluate((t) => window.streamlab.renderLesson(t), text);
  assert.equal(info.meta.id, 'backpressure');
  assert.equal(info.meta.estimated_minutes, 18);
  assert.equal(info.mounted, 0);
  assert.equal(await page.locator('#lesson h1').textContent(), 'Backpressure');
  assert.match(
    await page.locator('.lesson-meta').textContent(),
    /Phase 5: Streams & Backpressure · about 18 min · advanced/,
  );
  assert.deepEqual(await page.locator('.lesson-meta .tags li').allTextContents(), [
    'streams',
    'backpressure',
    'highWaterMark',
    'memory',
    'flow-control',
  ]);
  assert.deepEqual(await page.locator('#lesson h2').allTextContents(), [
    'Concept',
    'Key Insight',
    'Experiment',
    'Expected Output',
    'Challenge',
    'Deep Dive',
    'Common Mistakes',
  ]);
  // The code blocks are shown whole, as code, with their language.
  const code = page.locator('#lesson pre code');
  assert.equal(await code.count(), 2);
  assert.equal(await code.first().getAttribute('class'), 'language-js');
  const js = await code.first().textContent();
  const source = text.match(/```js\n([\s\S]*?)```/)[1];
  assert.equal(js, source);
  assert.match(await code.nth(1).textContent(), /=== Seeing Backpressure ===/);
  assert.equal(await page.locator('#lesson blockquote').count(), 1);
  assert.equal(await page.locator('#lesson .lab').count(), 0);
  assert.equal(await page.locator('#lesson script').count(), 0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'course-lesson.png') });
  assert.deepEqual(errors, []);
});

test('hostile markdown and front matter run nothing', { timeout: 60000 }, async () => {
  const { page, errors } = await open();
  const hostile = [
    '---',
    'title: "<img src=x onerror=window.__pwned=1>"',
    'tags: ["<script>window.__pwned=2</script>"]',
    '---',
    '## Hi <script>window.__pwned=3</script>',
    '',
    '<img src="x" onerror="window.__pwned=4">',
    '',
    '[click](javascript:window.__pwned=5) ![i](javascript:window.__pwned=6)',
    '',
    '<a href="javascript:window.__pwned=7">raw</a> <iframe src="javascript:window.__pwned=8"></iframe>',
    '',
    '```streamlab',
    'experiment: "../../etc/passwd"',
    '```',
    '',
    '```streamlab',
    'compare: [seeing-backpressure]',
    '```',
  ].join('\n');
  await page.evaluate((t) => window.streamlab.renderLesson(t), hostile);
  await page.waitForTimeout(300);
  await page
    .locator('#lesson a')
    .first()
    .click()
    .catch(() => {});
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(
    await page.locator('#lesson script, #lesson iframe, #lesson img[onerror], #lesson [onerror]').count(),
    0,
  );
  const hrefs = await page.locator('#lesson a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(
    hrefs.every((h) => h === null || !/^javascript:/i.test(h)),
    hrefs.join(),
  );
  // Raw HTML is shown as text; the title is text too.
  assert.equal(await page.locator('#lesson h1').textContent(), '<img src=x onerror=window.__pwned=1>');
  // Bad blocks say why, in place.
  const problems = await page.locator('#lesson .lab-error').allTextContents();
  assert.equal(problems.length, 2);
  assert.match(problems[0], /experiment: a scenario name/);
  assert.match(problems[1], /compare: a list of two scenario names/);
  assert.deepEqual(
    errors.filter((e) => !/requestfailed|404/.test(e)),
    [],
  );
});

test('?lesson= loads a lesson under lessons/ and refuses anything else', { timeout: 60000 }, async () => {
  {
    const { page, errors } = await open('?lesson=FORMAT.md');
    assert.equal(await page.locator('#lesson h1').first().textContent(), 'Streamlab lesson format');
    assert.equal(await page.locator('#notice').isHidden(), true);
    assert.deepEqual(errors, []);
    await page.close();
  }
  for (const bad of [
    '../app.js',
    '../../index.html',
    'https://example.invalid/x.md',
    '//example.invalid/x.md',
    '..%2F..%2Fx.md',
    'javascript:alert(1)',
  ]) {
    const { page } = await open(`?lesson=${encodeURIComponent(bad)}`);
    assert.equal(await page.locator('#notice').isVisible(), true, bad);
    assert.match(await page.locator('#notice').textContent(), /not a \.md file under lessons\//);
    assert.equal(await page.locator('#lesson h1').textContent(), 'Backpressure', bad);
    await page.close();
  }
  // Names the file system refuses (too long, a path under a file) are a 404 like any missing
  // lesson, and the server survives them: the page after them still loads.
  for (const missing of ['missing.md', 'FORMAT.md/x.md', `${'a'.repeat(300)}.md`]) {
    const { page } = await open(`?lesson=${missing}`);
    assert.match(
      await page.locator('#notice').textContent(),
      /could not load .*\.md \(HTTP 404\)/,
      missing.slice(0, 20),
    );
    assert.equal(await page.locator('#lesson h1').textContent(), 'Backpressure');
    await page.close();
  }
});

test("the shipped lesson has the course's sections and places all five experiments", { timeout: 60000 }, async () => {
  const { page, errors } = await open();
  assert.deepEqual(await page.locator('#lesson h2').allTextContents(), [
    'Concept',
    'Key Insight',
    'Experiments',
    'Expected Output',
    'Challenge',
    'Deep Dive',
    'Common Mistakes',
  ]);
  const names = await page.locator('#lesson [data-scenario]').evaluateAll((els) => els.map((e) => e.dataset.scenario));
  for (const name of [
    'seeing-backpressure',
    'manual-backpressure',
    'without-backpressure',
    'with-backpressure',
    'hwm-tuning-64,hwm-tuning-1024,hwm-tuning-16384,hwm-tuning-65536',
    'object-mode',
    'key-insight-10gib',
  ]) {
    assert.ok(names.includes(name), `${name} placed`);
  }
  assert.deepEqual(errors, []);
});
