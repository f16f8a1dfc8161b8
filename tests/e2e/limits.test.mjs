// Hostile input and huge runs never break the page (issue 9), in headless Chromium: a share
// link whose run has 1.4 million events opens, says which limit applies and runs with the
// trace off, with no main-thread task over 50 ms of CPU; Stop ends a run at once and Restart
// answers at once; deep nesting gives a message and the page goes on working; a maximal
// scenario ends in a result or a limit message; a trap in the core (main thread or Worker)
// is followed by runs that work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { traceTasks } from './chromium-trace.mjs';
import { startServer, launchBrowser, openPage, waitForStreamlab } from './harness.mjs';
import { native, scenarioFile } from './page-helpers.mjs';
import { encodeState } from '../../www/embed/state.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// 20,000 one-byte chunks through 16 synchronous transforms: 1,380,120 events in one macrotask.
function hugeScenario(chunks = 20000) {
  return {
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks, chunk: { bytes: 1 } },
    transforms: Array.from({ length: 16 }, () => ({})),
    sink: {},
  };
}

// The page's own share encoding (embed/state.js), as the Share button writes it.
const shareLink = (scenario, view = {}) => `${server.url}embed.html#${encodeState({ scenario, view })}`;

// Records every main-thread long task from the start; window.__ready is when the lab mounted.
const LONG_TASKS = () => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ at: Math.round(e.startTime), ms: Math.round(e.duration) });
  }).observe({ type: 'longtask', buffered: true });
  // The same frames with the scripts that ran in them, to say what a long task was.
  window.__frames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__frames.push({
        at: Math.round(e.startTime),
        ms: Math.round(e.duration),
        blockingMs: Math.round(e.blockingDuration),
        scripts: e.scripts.map(
          (x) => `${x.invoker} ${x.sourceURL.split('/').pop()}:${x.sourceFunctionName} ${Math.round(x.duration)}ms`,
        ),
      });
  }).observe({ type: 'long-animation-frame', buffered: true });
  // From the lab's first painted frame on (its mount and first paint are not the run's).
  new MutationObserver(() => {
    if (document.documentElement.dataset.embed !== 'ready' || window.__mounted) return;
    window.__mounted = true;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        window.__ready = performance.now();
      }),
    );
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-embed'] });
};

// Long tasks that started after `from` (ms on the page's clock), each with the scripts of the
// animation frame it fell in (empty: style, layout and paint alone).
const longTasksAfter = (page, from) =>
  page.evaluate(
    (t) =>
      window.__long
        .filter((e) => e.at >= t && e.ms > 50)
        .map((e) => ({
          ...e,
          scripts: window.__frames.filter((f) => f.at <= e.at + e.ms && f.at + f.ms >= e.at).flatMap((f) => f.scripts),
        })),
    from,
  );

const coreWorkers = (page) => page.workers().filter((w) => w.url().endsWith('/core-worker.js')).length;
// Core Workers that have run something: a finished or stopped run's is ended (the page may keep
// a fresh one for the next run, which has run nothing).
const usedCoreWorkers = async (page) => {
  const ran = await Promise.all(
    page
      .workers()
      .filter((w) => w.url().endsWith('/core-worker.js'))
      .map((w) => w.evaluate(() => self.ranSomething === true).catch(() => false)),
  );
  return ran.filter(Boolean).length;
};

async function until(check, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end && !(await check())) await new Promise((r) => setTimeout(r, 50));
  return check();
}

// The main thread was never held: no task after `from` took over 50 ms of CPU (chromium-trace.mjs:
// the wall clock also counts waiting for a core, which a busy machine makes long). The page's
// own long-task entries, with the scripts of their frames, say what the wall clock saw.
const traced = new WeakMap();
async function assertNeverHeld(page, from) {
  const held = await traced.get(page).over(50, from);
  assert.deepEqual(
    held,
    [],
    `tasks over 50 ms of CPU; long-task entries: ${JSON.stringify(await longTasksAfter(page, from))}`,
  );
}

async function openLink(url) {
  const { page, errors } = await openPage(browser, null);
  await page.addInitScript(LONG_TASKS);
  traced.set(page, await traceTasks(page));
  await page.goto(url);
  return { page, errors };
}

const status = (page) => page.locator('.experiment .exp-status').textContent();

test('a share link of 1.4 million events opens, names the limit, runs with the trace off, never holds the page', {
  timeout: 120000,
}, async () => {
  const scenario = hugeScenario();
  const url = shareLink(scenario, { mode: 'live' });
  assert.ok(url.length - server.url.length < 400, `the link is ${url.length - server.url.length} characters`);
  const { page, errors } = await openLink(url);
  await page.waitForFunction(() => document.querySelector('.experiment')?.dataset.runs, null, { timeout: 60000 });
  const ready = await page.evaluate(() => window.__ready);
  assert.ok(ready > 0, 'the lab mounted');
  // The result is the core's own, with the trace off.
  assert.deepEqual(
    JSON.parse(await page.locator('.experiment').getAttribute('data-summary')),
    native(scenario, { trace: false }).summary,
  );
  const note = await page.locator('.experiment .exp-note').textContent();
  assert.match(note, /^This run has 1,380,120 events; its trace would take more than the page's 8 MiB/);
  assert.match(
    note,
    /To trace it, use source\.chunks at most about 271 \(now 20,000\) or fewer transforms \(now 16\)\.$/,
  );
  // No samples to draw: a sentence says so where the chart would be, never an empty frame.
  assert.match(await page.locator('.experiment .no-chart').textContent(), /^No chart for this run: .*no samples/);
  assert.equal(await page.locator('.experiment .charts').isHidden(), true);
  assert.match(await status(page), /^Run over at \d+ ms virtual/);
  await assertNeverHeld(page, ready);
  await page.locator('.experiment').screenshot({ path: '/tmp/streamlab-limit-message.png' });
  // Its Worker was terminated: the wasm memory it grew is gone with it.
  assert.ok(await until(async () => (await usedCoreWorkers(page)) === 0), 'the Worker is gone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Stop ends a long run at once, Restart answers within 200 ms, Run works again', { timeout: 120000 }, async () => {
  // Thirty times the link above: seconds of work in the Worker even for the faster core, so
  // that Stop finds it running.
  const { page, errors } = await openLink(shareLink(hugeScenario(600000), { mode: 'live' }));
  await page.waitForFunction(
    () => /Running with the trace off/.test(document.querySelector('.experiment .exp-status')?.textContent),
    null,
    { timeout: 60000 },
  );
  const ready = await page.evaluate(() => window.__ready);
  const stop = page.locator('.experiment button', { hasText: 'Stop' });
  assert.equal(await stop.isEnabled(), true);
  await page.locator('.experiment').screenshot({ path: '/tmp/streamlab-stop-button.png' });
  assert.equal(coreWorkers(page), 1);
  // Click, then measure on the page's clock how soon the status says so.
  const stopMs = await page.evaluate(async () => {
    const root = document.querySelector('.experiment');
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Stop');
    const t0 = performance.now();
    button.click();
    while (!/^Stopped/.test(root.querySelector('.exp-status').textContent)) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  });
  assert.ok(stopMs < 200, `Stop took ${stopMs} ms`);
  assert.equal(await stop.isEnabled(), false);
  assert.ok(await until(async () => (await usedCoreWorkers(page)) === 0), 'the Worker is gone');
  const restartMs = await page.evaluate(async () => {
    const root = document.querySelector('.experiment');
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Restart');
    const t0 = performance.now();
    button.click();
    while (!/^Restarted/.test(root.querySelector('.exp-status').textContent)) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  });
  assert.ok(restartMs < 200, `Restart took ${restartMs} ms`);
  await assertNeverHeld(page, ready);
  // Run starts it afresh, in a new Worker, and ends with the core's own summary.
  await page.locator('.experiment button', { hasText: 'Run' }).click();
  await page.waitForFunction(() => document.querySelector('.experiment')?.dataset.runs === '1', null, {
    timeout: 90000,
  });
  assert.deepEqual(
    JSON.parse(await page.locator('.experiment').getAttribute('data-summary')),
    native(hugeScenario(600000), { trace: false }).summary,
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('6,000 nested arrays: a message from runScenario and from a share link; runs right after work', {
  timeout: 90000,
}, async () => {
  const deep = `{"schema":"streamlab/scenario@1","connect":"pipeline","source":{"chunks":3,"chunk":{"text":"x"},"x":${'['.repeat(6000)}${']'.repeat(6000)}},"sink":{}}`;
  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  const got = await page.evaluate(async (text) => {
    const out = {};
    for (const [name, input] of [
      ['text', text],
      ['object', JSON.parse(text)],
    ]) {
      try {
        await window.streamlab.runScenario(input);
        out[name] = 'ran';
      } catch (err) {
        out[name] = err.message;
      }
    }
    out.valid = (
      await window.streamlab.runScenario(await window.streamlab.loadScenario('seeing-backpressure'))
    ).summary;
    return out;
  }, deep);
  assert.match(got.text, /nests arrays and objects more than 32 levels deep/);
  assert.match(got.object, /nests arrays and objects more than 32 levels deep/);
  assert.deepEqual(got.valid, native(scenarioFile('seeing-backpressure')).summary);
  // Two <stream-lab> elements side by side: the deep one says why, its neighbour runs.
  const labs = await page.evaluate(async (text) => {
    await import('/www/embed/stream-lab.js');
    const box = document.createElement('div');
    const bad = document.createElement('stream-lab');
    const script = document.createElement('script');
    script.type = 'application/json';
    script.textContent = text;
    bad.append(script);
    const good = document.createElement('stream-lab');
    good.setAttribute('scenario', 'manual-backpressure');
    box.append(bad, good);
    document.body.append(box);
    const summaryOf = (el) =>
      new Promise((resolve) => el.addEventListener('streamlab:run', (e) => resolve(e.detail.summary), { once: true }));
    const [a, b] = await Promise.all([summaryOf(bad), summaryOf(good)]);
    return { badNotice: bad.shadowRoot.querySelector('.notice').textContent, a, b };
  }, deep);
  assert.match(labs.badNotice, /nests arrays and objects more than 32 levels deep/);
  assert.deepEqual(labs.a, native(scenarioFile('seeing-backpressure')).summary); // the default, shown instead
  assert.deepEqual(labs.b, native(scenarioFile('manual-backpressure')).summary);
  assert.deepEqual(errors, []);
  await page.close();

  // The same scenario in a share link (base64url of its text).
  const link = `${server.url}embed.html#v=1&s=${Buffer.from(deep).toString('base64url')}`;
  const opened = await openLink(link);
  await opened.page.waitForFunction(() => document.querySelector('.experiment')?.dataset.runs, null, {
    timeout: 30000,
  });
  assert.match(await opened.page.locator('#notice').textContent(), /nests arrays and objects more than 32 levels/);
  assert.deepEqual(
    JSON.parse(await opened.page.locator('.experiment').getAttribute('data-summary')),
    native(scenarioFile('seeing-backpressure')).summary,
  );
  assert.deepEqual(opened.errors, []);
  await opened.page.close();
});

test('a maximal valid scenario ends in a limit message, never "internal", without holding the page', {
  timeout: 180000,
}, async () => {
  const max = {
    schema: 'streamlab/scenario@1',
    connect: 'pipeline',
    source: { chunks: 10000000, chunk: { bytes: 67108864 }, highWaterMark: 1073741824 },
    transforms: Array.from({ length: 16 }, () => ({ highWaterMark: 1073741824 })),
    sink: { highWaterMark: 1073741824 },
  };
  const { page, errors } = await openLink(shareLink(max));
  await page.waitForFunction(
    () => /^(The core stopped|Run over)/.test(document.querySelector('.experiment .exp-status')?.textContent),
    null,
    { timeout: 90000 },
  );
  const ready = await page.evaluate(() => window.__ready);
  const said = await status(page);
  assert.doesNotMatch(said, /internal/);
  assert.match(said, /past the runner's event budget of 100000000|Stopped after 20 s of real time/);
  assert.match(await page.locator('.experiment .exp-note').textContent(), /^This run has more than [\d,]+ events/);
  await assertNeverHeld(page, ready);
  // Through the API: the traced run is refused by its event count at once; the untraced one
  // ends at a limit, and the page stayed responsive all along.
  const api = await page.evaluate(async (s) => {
    const { runInBackground } = await import('/www/run-worker.js');
    const out = {};
    const t0 = performance.now();
    try {
      await runInBackground(s, { trace: true });
    } catch (err) {
      out.traced = err.message;
    }
    out.tracedMs = performance.now() - t0;
    return out;
  }, max);
  assert.match(api.traced, /^This run has more than [\d,]+ events; its trace would take more than/);
  assert.ok(api.tracedMs < 5000, `the count took ${api.tracedMs} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a trap in the core, on the page or in a Worker, is followed by runs that work', { timeout: 90000 }, async () => {
  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  // Long enough that its Worker is still open after the first batch of events.
  const scenario = { ...scenarioFile('seeing-backpressure'), name: 'long' };
  scenario.source = { ...scenario.source, chunks: 3000 }; // 17,756 events: under the trace limit
  const want = native(scenario).summary;
  // The page's own instance: a handle pointing past the end of memory traps for real.
  const main = await page.evaluate(async (s) => {
    const core = await import('/www/core.js');
    const c = await core.loadCore();
    await new Promise((r) => setTimeout(r, 500)); // the spare instance is made after load
    const sim = new c.Simulation(s, {});
    sim.__wbg_ptr = 0xfffffff0;
    let trapped;
    try {
      sim.now();
    } catch (err) {
      trapped = `${err.name}: ${err.message}`;
    }
    const after = c.validateScenario(s);
    const fresh = new c.Simulation(s, {});
    fresh.runToEnd();
    return { trapped, traps: core.coreTraps(), after, summary: fresh.summary() };
  }, scenario);
  assert.match(
    main.trapped,
    /^CoreTrapError: The core failed \(WebAssembly RuntimeError: memory access out of bounds\) and was replaced/,
  );
  assert.equal(main.traps, 1);
  assert.equal(main.after, undefined);
  assert.deepEqual(main.summary, want);

  // A run's Worker traps mid-run (the Worker's test hook): the experiment says so; Run works.
  const box = await page.evaluateHandle(() => {
    const div = document.createElement('div');
    document.body.append(div);
    return div;
  });
  const said = await page.evaluate(
    async ([div, s]) => {
      const exp = await window.streamlab.mountExperiment(div, s, { autorun: false });
      await exp.step(1);
      await exp.player.source.worker.request('trap').catch(() => {});
      const status = div.querySelector('.exp-status');
      for (let k = 0; k < 100 && !/^The core stopped/.test(status.textContent); k++)
        await new Promise(requestAnimationFrame);
      const message = status.textContent;
      const summary = await exp.run();
      return { message, summary };
    },
    [box, scenario],
  );
  assert.match(
    said.message,
    /^The core stopped: The core failed \(WebAssembly RuntimeError: memory access out of bounds\) and was replaced/,
  );
  assert.deepEqual(said.summary, want);
  assert.deepEqual(errors, []);
  await page.close();
});
