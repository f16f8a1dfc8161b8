// Hostile input, in headless Chromium: markup and javascript: text in an embed URL's
// fragment or query, in element attributes, in an inline scenario, in messages and in a
// lesson file never runs and never lands as HTML. Each case sets a trap (window.pwned via
// onerror/onload, or an alert) and checks it stays unsprung, that no dialog opened, that no
// element came from the input, and that the page shows why it fell back to the default.
// (The site's CSP would block an inline handler even if one got in, so the flag alone proves
// little: the check for elements and on*/javascript: attributes is the one that matters.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from './harness.mjs';
import { native, scenarioFile } from './page-helpers.mjs';
import { startHostServer } from '../fixtures/host-server.mjs';

let server;
let host;
let browser;

before(async () => {
  server = await startServer();
  host = await startHostServer(new URL(server.url).origin);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64url');
const IMG = '<img src=x onerror=window.pwned=1>';
const SVG = '<svg onload=window.pwned=1>';

// Opens url with a dialog trap; returns { page, errors, dialogs }.
async function open(url) {
  const { page, errors } = await openPage(browser, null);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(url);
  return { page, errors, dialogs };
}

// Nothing ran, nothing was injected (shadow roots and frames included).
async function assertClean({ page, dialogs }) {
  await page.waitForTimeout(300); // an injected onerror would have fired by now
  for (const frame of page.frames()) {
    assert.equal(await frame.evaluate(() => window.pwned), undefined, `window.pwned in ${frame.url()}`);
    const injected = await frame.evaluate(() => {
      const all = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      // <stream-lab> elements carry the hostile input themselves: everything else must be clean.
      return all
        .filter((el) => el.localName !== 'stream-lab')
        .filter(
          (el) =>
            (el.localName === 'img' && el.getAttribute('src') === 'x') ||
            (el.localName === 'svg' && el.hasAttribute('onload')) ||
            [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)),
        )
        .map((el) => el.outerHTML.slice(0, 80));
    });
    assert.deepEqual(injected, [], frame.url());
  }
  assert.deepEqual(dialogs, []);
}

const defaultSummary = () => native(scenarioFile('seeing-backpressure')).summary;

async function embedShowsDefault(page) {
  await page.waitForFunction(() => document.querySelector('.experiment')?.dataset.summary);
  assert.equal(await page.locator('.experiment').getAttribute('data-scenario'), 'seeing-backpressure');
  assert.deepEqual(JSON.parse(await page.locator('.experiment').getAttribute('data-summary')), defaultSummary());
}

test('embed.html: markup and javascript: in the fragment are refused, shown as text, and the default runs', async () => {
  const frag = new URLSearchParams({
    scenario: IMG,
    challenge: 'javascript:alert(1)',
    controls: SVG,
    theme: 'javascript:alert(1)',
    height: 'expression(alert(1))',
    origin: 'javascript:alert(1)',
    id: IMG,
    at: 'javascript:1',
    mode: IMG,
  });
  const t = await open(`${server.url}embed.html#${frag}`);
  await embedShowsDefault(t.page);
  const notice = t.page.locator('#notice');
  assert.equal(await notice.isVisible(), true);
  const text = await notice.innerText();
  for (const k of ['scenario', 'challenge', 'controls', 'theme', 'height', 'origin', 'id', 'at', 'mode'])
    assert.match(text, new RegExp(`${k}: `), k);
  assert.match(text, /the default experiment is shown/);
  await t.page.screenshot({ path: path.join(ARTIFACTS, 'hostile-fragment.png'), fullPage: true });
  await assertClean(t);
  assert.deepEqual(t.errors, []);
});

test('embed.html: a scenario whose text is markup runs as text', async () => {
  const scenario = scenarioFile('seeing-backpressure');
  scenario.name = IMG;
  scenario.source.chunk = { text: `<script>window.pwned=1</script>${SVG} javascript:alert(1) {n}` };
  const t = await open(`${server.url}embed.html#s=${b64(JSON.stringify(scenario))}`);
  await t.page.waitForFunction(() => document.querySelector('.experiment')?.dataset.summary);
  assert.equal(await t.page.locator('.exp-title').innerText(), IMG);
  assert.deepEqual(
    JSON.parse(await t.page.locator('.experiment').getAttribute('data-summary')),
    native(scenario).summary,
  );
  assert.equal(await t.page.locator('#notice').isVisible(), false);
  await assertClean(t);
  assert.deepEqual(t.errors, []);
});

test('embed.html: malformed state gives a visible message and the default experiment', async () => {
  const broken = scenarioFile('seeing-backpressure');
  broken.source.chunks = -1;
  const cases = [
    [`s=${b64(`${IMG} not json`)}`, /s: not JSON/],
    [`s=${b64('[1,2]')}`, /s: not a JSON object/],
    [`s=${b64('{"schema":"x"}')}`, /s: its "schema" is not/],
    ['s=%%%', /s: not a base64url-encoded scenario/],
    [`s=${b64(JSON.stringify(broken))}`, /could not be used \(.*source\.chunks/],
    ['scenario=no-such-scenario', /could not be loaded/],
  ];
  for (const [frag, message] of cases) {
    const t = await open(`${server.url}embed.html#${frag}`);
    await embedShowsDefault(t.page);
    assert.match(await t.page.locator('#notice').innerText(), message, frag);
    await assertClean(t);
    // The missing scenario file is a 404 the browser itself logs.
    assert.deepEqual(
      t.errors.filter((e) => !/404|no-such-scenario/.test(e)),
      [],
      frag,
    );
    await t.page.close();
  }
});

test('<stream-lab>: hostile attributes and inline scenarios run nothing', { timeout: 60000 }, async () => {
  const t = await open(`${host.url}hostile.html`);
  await t.page.waitForFunction(() =>
    ['bad-name', 'bad-json', 'html-name', 'bad-challenge'].every(
      (id) => document.getElementById(id).shadowRoot?.querySelector('.experiment')?.dataset.summary,
    ),
  );
  const notice = (id) => t.page.locator(`#${id} .notice`).innerText();
  for (const k of [/scenario: not a scenario name/, /theme: one of/, /height: a length/, /controls: unknown/])
    assert.match(await notice('bad-name'), k);
  assert.match(await notice('bad-json'), /inline scenario: not JSON/);
  assert.match(await notice('bad-challenge'), /challenge: one of/);
  for (const id of ['bad-name', 'bad-json', 'bad-challenge']) {
    assert.equal(await t.page.locator(`#${id} .experiment`).getAttribute('data-scenario'), 'seeing-backpressure', id);
  }
  assert.equal(await t.page.locator('#html-name .exp-title').innerText(), IMG);
  const errorsSeen = await t.page.evaluate(() =>
    window.hostLog.events.filter((e) => e.type === 'streamlab:error').map((e) => e.target),
  );
  assert.deepEqual(errorsSeen.sort(), ['bad-challenge', 'bad-json', 'bad-name']);
  await t.page.screenshot({ path: path.join(ARTIFACTS, 'hostile-element.png'), fullPage: true });
  await assertClean(t);
  assert.deepEqual(t.errors, []);
});

test('a lesson file with markup, javascript: links and hostile blocks renders as text', async () => {
  const t = await open(server.url);
  await waitForStreamlab(t.page);
  await t.page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  const lesson = [
    '---',
    `title: "${IMG}"`,
    '---',
    `## Hello ${IMG}`,
    `<script>window.pwned=1</script> ${SVG}`,
    '[click](javascript:window.pwned=1) and <a href="javascript:window.pwned=1">raw</a>',
    '```streamlab',
    `challenge: "${IMG}"`,
    '```',
    '```streamlab',
    'experiment: "javascript:alert(1)"',
    '```',
  ].join('\n');
  await t.page.evaluate((text) => window.streamlab.renderLesson(text), lesson);
  const body = await t.page.locator('#lesson').innerText();
  assert.ok(body.includes(IMG), 'markup shown as text');
  assert.match(body, /could not be placed: challenge: large-file, throttle/);
  assert.match(body, /could not be placed: experiment: a scenario name/);
  assert.equal(await t.page.locator('#lesson a[href^="javascript:"]').count(), 0);
  await assertClean(t);
  assert.deepEqual(t.errors, []);
});
