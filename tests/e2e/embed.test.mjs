// Embedding, in headless Chromium: a course page on another origin embeds two <stream-lab>
// elements (one by name, one with inline JSON) and two iframes of embed.html, and receives
// their events; messages reach it only from the frame that declared its origin, and commands
// from anywhere else are ignored. Share links reopen the same run. The embedding page's live
// examples all start. Screenshots: tests/artifacts/embed-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, openPage, ARTIFACTS } from './harness.mjs';
import { native, scenarioFile } from './page-helpers.mjs';
import { startHostServer } from '../fixtures/host-server.mjs';

let server;
let host;
let browser;
let streamlab; // the Streamlab origin

const INLINE_LOOP = {
  schema: 'streamlab/scenario@1',
  name: 'inline-loop',
  connect: 'write-loop',
  sink: { highWaterMark: 16, delayMs: 2 },
  writeLoop: { items: 12, chunk: { text: 'line {i}\n' }, respectBackpressure: true },
};

before(async () => {
  server = await startServer();
  streamlab = new URL(server.url).origin;
  host = await startHostServer(streamlab);
  browser = await launchBrowser({ viewport: { width: 1300, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

const log = (page) => page.evaluate(() => window.hostLog);
const frameOf = (page, id) => page.frames().find((f) => f.url().includes(`id=${id}`));

test('a page on another origin embeds two elements and two iframes and gets their events', {
  timeout: 90000,
}, async () => {
  assert.notEqual(host.origin, streamlab);
  const { page, errors } = await openPage(browser, `${host.url}host.html`);
  // Chromium does not animate a cross-origin frame while it is out of view, and the
  // elements above it may push it there on a slow machine: bring it into view first.
  await page.locator('#frame-ok').scrollIntoViewIfNeeded();
  // Both elements and the right frame finish a run on their own.
  await page.waitForFunction(
    () => {
      const l = window.hostLog;
      const runs = (id) => l.events.some((e) => e.type === 'streamlab:run' && e.target === id);
      return l && runs('lab-a') && runs('lab-b') && l.messages.some((m) => m.data?.type === 'run');
    },
    null,
    { timeout: 30000 },
  );
  const l = await log(page);

  const ready = l.events
    .filter((e) => e.type === 'streamlab:ready')
    .map((e) => [e.target, e.detail.scenario])
    .sort();
  assert.deepEqual(ready, [
    ['lab-a', 'seeing-backpressure'],
    ['lab-b', 'inline-loop'],
  ]);
  const runOf = (id) => l.events.find((e) => e.type === 'streamlab:run' && e.target === id).detail;
  assert.deepEqual(runOf('lab-a').summary, native(scenarioFile('seeing-backpressure')).summary);
  assert.equal(runOf('lab-a').summary.readCalls, 21);
  assert.equal(runOf('lab-a').summary.drainEvents, 4);
  assert.deepEqual(runOf('lab-b').summary, native(INLINE_LOOP).summary);
  assert.deepEqual(runOf('lab-b').scenario, INLINE_LOOP);

  // Messages: ready and run from the frame that declared this origin, nothing from the other.
  for (const m of l.messages) assert.equal(m.origin, streamlab);
  const types = l.messages.map((m) => `${m.data.id}:${m.data.type}`);
  assert.deepEqual(types, ['frame-ok:ready', 'frame-ok:run']);
  const run = l.messages[1].data;
  assert.equal(run.source, 'streamlab');
  assert.equal(run.version, 1);
  assert.deepEqual(run.summary, native(scenarioFile('object-mode')).summary);
  // The frame declared for another origin did run (once on screen: Chromium does not animate
  // cross-origin frames out of view); its messages were simply not delivered here.
  await page.locator('#frame-wrong').scrollIntoViewIfNeeded();
  const wrong = frameOf(page, 'frame-wrong');
  await wrong.waitForFunction(() => document.querySelector('.experiment')?.dataset.runs === '1');

  // Controls: only those asked for show.
  const visible = async (sel) => page.locator(sel).isVisible();
  assert.equal(await visible('#lab-a button:text("Step")'), true);
  assert.equal(await visible('#lab-a button:text("Play")'), false);
  assert.equal(await visible('#lab-b .timeline'), false);
  assert.equal(await visible('#lab-b .exp-params'), false);
  // Theme and height came from the attributes.
  const bg = (id) => page.locator(id).evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(await bg('#lab-a'), await bg('#lab-b'));
  assert.equal(await page.locator('#lab-b').evaluate((el) => el.getBoundingClientRect().height), 420);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-host.png'), fullPage: true });

  // Independent: stepping one element moves only that one.
  const clock = (id) => page.locator(`${id} .clock-row`).innerText();
  const bClock = await clock('#lab-b');
  await page.locator('#lab-a button:text("Step")').click();
  await page.locator('#lab-a button:text("Step")').click();
  assert.match(await clock('#lab-a'), /2 events shown/);
  assert.equal(await clock('#lab-b'), bClock);
  assert.deepEqual(errors, []);
});

test('commands reach the frame only from its declared origin', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${host.url}host.html`);
  await page.locator('#frame-ok').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.hostLog?.messages.some((m) => m.data?.type === 'run'), null, {
    timeout: 30000,
  });
  await page.locator('#frame-wrong').scrollIntoViewIfNeeded();
  const ok = frameOf(page, 'frame-ok');
  const wrong = frameOf(page, 'frame-wrong');
  const runsIn = (f) => f.evaluate(() => Number(document.querySelector('.experiment').dataset.runs));
  await wrong.waitForFunction(() => document.querySelector('.experiment')?.dataset.runs === '1');

  // From the Streamlab origin (the other frame), not the declared one: ignored.
  await wrong.evaluate(() => parent.frames[0].postMessage({ target: 'streamlab', type: 'run' }, '*'));
  // From this page to the frame that declared another origin: ignored.
  await page.evaluate(() =>
    document.getElementById('frame-wrong').contentWindow.postMessage({ target: 'streamlab', type: 'run' }, '*'),
  );
  // Malformed commands from the right origin: ignored.
  await page.evaluate(() => {
    const w = document.getElementById('frame-ok').contentWindow;
    w.postMessage('run', '*');
    w.postMessage({ target: 'streamlab', type: '<img src=x onerror=alert(1)>' }, '*');
    w.postMessage({ type: 'run' }, '*');
  });
  await page.waitForTimeout(500);
  assert.equal(await runsIn(ok), 1);
  assert.equal(await runsIn(wrong), 1);

  // From this page to its own frame: obeyed, and the new run is reported back.
  await page.evaluate(() =>
    document.getElementById('frame-ok').contentWindow.postMessage({ target: 'streamlab', type: 'run' }, '*'),
  );
  await page.waitForFunction(() => window.hostLog.messages.filter((m) => m.data?.type === 'run').length === 2);
  assert.equal(await runsIn(ok), 2);
  assert.deepEqual(errors, []);
});

test('a flood of 20,000 restart/run commands leaves the frame responsive', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${host.url}host.html`);
  await page.locator('#frame-ok').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.hostLog?.messages.some((m) => m.data?.type === 'run'), null, {
    timeout: 30000,
  });
  const ok = frameOf(page, 'frame-ok');
  // The frame and this page may share a renderer: a blocked frame would block every wait in
  // the browser too, so each wait races a timer on the node side.
  const within = (ms, what, p) =>
    Promise.race([
      p,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
    ]);
  const started = Date.now();
  await page.evaluate(() => {
    const w = document.getElementById('frame-ok').contentWindow;
    for (let k = 0; k < 20000; k++) w.postMessage({ target: 'streamlab', type: k % 2 ? 'run' : 'restart' }, '*');
  });
  // The last command was 'run': a run finishes and is reported, within seconds.
  await within(
    8000,
    'a "run" message after the flood',
    page.waitForFunction(() => window.hostLog.messages.filter((m) => m.data?.type === 'run').length >= 2, null, {
      timeout: 8000,
    }),
  );
  // And the frame still answers its own buttons at once.
  const runs = await within(
    2000,
    'reading the frame',
    ok.evaluate(() => document.querySelector('.experiment').dataset.runs),
  );
  await within(5000, 'the Step button', ok.locator('button:text("Step")').click());
  await within(
    3000,
    'a step after the flood',
    ok.waitForFunction(() => /1 events shown/.test(document.querySelector('.clock-row')?.textContent ?? ''), null, {
      timeout: 3000,
    }),
  );
  const ms = Date.now() - started;
  assert.ok(ms < 15000, `${ms} ms`);
  // Coalesced: the flood did not become thousands of runs.
  assert.ok(Number(runs) < 100, `runs: ${runs}`);
  assert.deepEqual(errors, []);
  await page.close({ runBeforeUnload: false });
});

test('a challenge in an iframe posts "challenge-passed" to the declared origin', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${host.url}host.html`);
  await page.evaluate(
    ([src]) => {
      const f = document.createElement('iframe');
      f.id = 'frame-challenge';
      f.src = src;
      document.body.append(f);
    },
    [`${streamlab}/embed.html?challenge=large-file&origin=${encodeURIComponent(host.origin)}&id=ch`],
  );
  await page.waitForFunction(() => window.hostLog.messages.some((m) => m.data?.id === 'ch' && m.data.type === 'ready'));
  const f = frameOf(page, 'id=ch'.slice(3)) ?? page.frames().find((x) => x.url().includes('challenge=large-file'));
  await f.locator('[data-field="fileMiB"]').fill('2048');
  await f.locator('[data-action="check"]').click();
  await page.waitForFunction(() => window.hostLog.messages.some((m) => m.data?.type === 'challenge-passed'), null, {
    timeout: 30000,
  });
  const msgs = (await log(page)).messages.filter((m) => m.data.id === 'ch').map((m) => m.data);
  assert.deepEqual(
    msgs.map((m) => m.type),
    ['ready', 'challenge', 'challenge-passed'],
  );
  assert.equal(msgs[2].challenge, 'large-file');
  assert.match(msgs[2].reasons[0], /2 GiB file went through/);
  assert.deepEqual(errors, []);
});

test('a share link reopens the same run, with the same summary', { timeout: 60000 }, async () => {
  // In the lesson: change a parameter, let it run, press Share.
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
  const root = page.locator('[data-scenario="seeing-backpressure"]').first();
  await root.scrollIntoViewIfNeeded();
  await root.locator(':scope > .controls button.primary').click();
  await page.waitForFunction((el) => Number(el.dataset.runs) >= 1, await root.elementHandle());
  const runs = Number(await root.getAttribute('data-runs'));
  await root.locator('[data-path="sink.highWaterMark"]').fill('20');
  await page.waitForFunction(
    ([el, n]) => Number(el.dataset.runs) > n && !/Running/.test(el.querySelector('.exp-status').textContent),
    [await root.elementHandle(), runs],
  );
  const summary = JSON.parse(await root.getAttribute('data-summary'));
  const edited = scenarioFile('seeing-backpressure');
  edited.sink.highWaterMark = 20;
  assert.deepEqual(summary, native(edited).summary);
  await root.locator('[data-action="share"]').click();
  const link = await root.locator('[data-action="share"]').getAttribute('data-link');
  // The lesson's share link opens the lesson at that experiment (embed.html is for iframes).
  assert.match(link, /\/(index\.html)?#lab=seeing-backpressure&v=1&s=[A-Za-z0-9_-]+/);

  const other = await openPage(browser, link);
  const lab = other.page.locator('[data-scenario="seeing-backpressure"]').first();
  await other.page.waitForFunction(
    () => document.querySelector('[data-scenario="seeing-backpressure"]')?.dataset.summary,
  );
  assert.deepEqual(JSON.parse(await lab.getAttribute('data-summary')), summary);
  assert.equal(await lab.locator('[data-path="sink.highWaterMark"]').inputValue(), '20');
  assert.equal(await other.page.locator('h1').first().textContent(), 'Backpressure');
  assert.notDeepEqual(summary, native(scenarioFile('seeing-backpressure')).summary);
  await other.page.screenshot({ path: path.join(ARTIFACTS, 'embed-shared-run.png'), fullPage: true });

  // A paused moment: step 7 events, share, and the link opens at event 7.
  const stepper = await openPage(browser, `${server.url}embed.html#scenario=manual-backpressure`);
  const exp = stepper.page.locator('.experiment');
  await stepper.page.waitForFunction(() => document.querySelector('.experiment')?.dataset.summary);
  for (let k = 0; k < 7; k++) await stepper.page.locator('button:text("Step")').click();
  assert.match(await exp.locator('.clock-row').innerText(), /7 events shown/);
  await stepper.page.locator('[data-action="share"]').click();
  const moment = await stepper.page.locator('[data-action="share"]').getAttribute('data-link');
  assert.match(moment, /&at=7/);
  const again = await openPage(browser, moment);
  await again.page.waitForFunction(() =>
    /7 events shown/.test(document.querySelector('.clock-row')?.textContent ?? ''),
  );
  assert.deepEqual([...errors, ...other.errors, ...stepper.errors, ...again.errors], []);
});

test('a shared moment thousands of events in opens in about a second, not after a frozen tab', {
  timeout: 60000,
}, async () => {
  // The most a link may replay (5000 events). Redrawing the views after every one of them
  // used to block the page for over 20 s in one task.
  const long = scenarioFile('seeing-backpressure');
  long.source.chunks = 2000;
  const frag = `s=${Buffer.from(JSON.stringify(long)).toString('base64url')}&at=5000`;
  const { page, errors } = await openPage(browser, `${server.url}embed.html#${frag}`);
  const started = Date.now();
  await page.waitForFunction(
    () => /5000 events shown/.test(document.querySelector('.clock-row')?.textContent ?? ''),
    null,
    { timeout: 10000 },
  );
  assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  const trace = native(long).trace;
  assert.match(
    await page.locator('.state-line').textContent(),
    new RegExp(`^Event #4999 at ${trace[4999].t} ms: ${trace[4999].stream} ${trace[4999].ev}`),
  );
  assert.equal(await page.locator('.timeline-count').textContent(), '5000 shown');
  assert.deepEqual(errors, []);
  await page.close();
});

test('while Run takes a paused run to its end, the status says so, not "Paused"', { timeout: 60000 }, async () => {
  const long = scenarioFile('seeing-backpressure');
  long.source.chunks = 2000; // traced, and long enough to take several frames to reveal
  const frag = `s=${Buffer.from(JSON.stringify(long)).toString('base64url')}&at=5`;
  const { page, errors } = await openPage(browser, `${server.url}embed.html#${frag}`);
  await page.waitForFunction(() => /5 events shown/.test(document.querySelector('.clock-row')?.textContent ?? ''));
  assert.equal(await page.locator('.exp-status').textContent(), 'Paused');
  // Every status text from pressing Run until the run is over.
  const seen = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const status = document.querySelector('.exp-status');
        const texts = [];
        const mo = new MutationObserver(() => {
          texts.push(status.textContent);
          if (/^Run over/.test(status.textContent)) {
            mo.disconnect();
            resolve(texts);
          }
        });
        mo.observe(status, { childList: true, characterData: true, subtree: true });
        [...document.querySelectorAll('.experiment button')].find((b) => b.textContent === 'Run').click();
      }),
  );
  assert.ok(seen.includes('Running to the end…'), seen.join(' | '));
  assert.ok(!seen.includes('Paused'), seen.join(' | '));
  assert.match(seen.at(-1), /^Run over at \d+ ms virtual/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run too long to trace, asked for live or at a moment, is run to the end instead', {
  timeout: 60000,
}, async () => {
  const long = scenarioFile('seeing-backpressure');
  long.source.chunks = 25000; // past the page's trace limit: no player, summary and samples only
  const want = native(long, { trace: false }).summary;
  for (const view of ['mode=live&controls=none', 'at=5&controls=output']) {
    const { page, errors } = await openPage(
      browser,
      `${server.url}embed.html#s=${Buffer.from(JSON.stringify(long)).toString('base64url')}&${view}`,
    );
    await page.waitForFunction(() => document.querySelector('.experiment')?.dataset.summary, null, { timeout: 20000 });
    assert.deepEqual(JSON.parse(await page.locator('.experiment').getAttribute('data-summary')), want, view);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the embedding page shows every way live, and logs their events', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${server.url}www/embedding.html`);
  await page.waitForFunction(
    () => {
      const t = document.getElementById('event-log').textContent;
      return (
        ['#ex-named', '#ex-inline', '#ex-live', '#ex-challenge'].every((id) => t.includes(`ready from ${id}`)) &&
        t.includes('message "run" from iframe docs-frame')
      );
    },
    null,
    { timeout: 30000 },
  );
  const text = await page.locator('#event-log').innerText();
  assert.match(text, /streamlab:run from #ex-named: readCalls 21, drains 4/);
  assert.match(text, /streamlab:run from #ex-inline: .*scenario tiny-sink/);
  assert.match(
    await page.locator('#share-example').getAttribute('href'),
    /embed\.html#v=1&scenario=seeing-backpressure/,
  );
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-docs.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
