// Code in embeds: a <stream-lab> with a child <script type="text/plain">, and embed.html with
// code= in its fragment, show the program in the experiment's Code view and run nothing until
// the learner presses Run (the engine is not even fetched); Run prints what real Node prints.
// A code= that is not a program is reported by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSuite, openPage, ARTIFACTS } from './harness.mjs';
import { runNode } from '../node/program-oracle.mjs';
import { requireLab, runCode, outputRows, editorText } from './code-helpers.mjs';

const suite = browserSuite();

const ENGINE = /\/www\/lab-pkg\//;

// What real Node prints for `source`, run as a file on the program oracle's virtual clock.
function nodeStdout(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlab-embed-'));
  try {
    const file = path.join(dir, 'experiment.mjs');
    fs.writeFileSync(file, source);
    const r = runNode(file);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const joined = async (view) =>
  (await outputRows(view))
    .filter((r) => r.stream === 'stdout')
    .map((r) => `${r.text}\n`)
    .join('');

test("<stream-lab>'s inline code is shown in its Code view, not run, and Run runs it as Node does", {
  timeout: 90000,
}, async () => {
  requireLab();
  const { page, errors } = await openPage(suite.browser, null);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`${suite.server.url}www/embedding.html`);
  const lab = page.locator('#ex-code');
  const view = lab.locator('[data-code-view]');
  await view.locator('.cm-content').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => {
    const v = document.querySelector('#ex-code').shadowRoot.querySelector('[data-code-view]');
    return v?.dataset.state === 'ready';
  });
  const inline = await page.evaluate(() =>
    document.querySelector('#ex-code > script[type="text/plain"]').textContent.replace(/^\n/, ''),
  );
  assert.equal(await editorText(view), inline);
  assert.match(inline, /Readable\.from/);
  await page.waitForTimeout(500);
  assert.ok(!fetched.some((p) => ENGINE.test(p)), 'nothing ran: the engine was not fetched');
  assert.equal(await view.locator('.out-line').count(), 0);
  assert.equal(await runCode(page, view), 'done');
  assert.equal(await joined(view), nodeStdout(inline));
  await lab.scrollIntoViewIfNeeded();
  await lab.screenshot({ path: path.join(ARTIFACTS, 'code-embed-element.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embed.html#code= opens the code without running it; a code= that is not one is named', {
  timeout: 90000,
}, async () => {
  const source = 'console.log("from a link");\n';
  const { page, errors } = await openPage(suite.browser, null);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`${suite.server.url}www/embedding.html`);
  const code = await page.evaluate(
    async (text) => (await import(new URL('/www/code/share-code.js', location.origin).href)).encodeCode(text),
    source,
  );
  await page.goto(`${suite.server.url}embed.html#scenario=seeing-backpressure&code=${code}`);
  const view = page.locator('[data-code-view]');
  await view.locator('.cm-content').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-code-view]')?.dataset.state === 'ready');
  assert.equal(await editorText(view), source);
  await page.waitForTimeout(500);
  assert.ok(!fetched.some((p) => ENGINE.test(p)), 'nothing ran: the engine was not fetched');

  await page.goto(`${suite.server.url}embed.html#scenario=seeing-backpressure&code=%3Cscript%3E`);
  await page.waitForFunction(() => document.documentElement.dataset.embed === 'ready');
  assert.match(await page.locator('.notice').innerText(), /code: base64url text/);
  // Well-formed base64url that does not inflate: said, and the experiment runs as usual.
  await page.goto(`${suite.server.url}embed.html#scenario=seeing-backpressure&code=AAAA`);
  await page.waitForFunction(() => document.documentElement.dataset.embed === 'ready');
  await page
    .locator('.notice')
    .getByText(/The code given could not be opened/)
    .waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
