// The playground page in headless Chromium: each of the lesson's experiments, run from its
// Run button, prints the numbers the native runner gives for the same scenario; editing a
// parameter changes them the same way; play, pause and step move the timeline; screenshots
// of every experiment go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForStreamlab, screenshot, ARTIFACTS } from './harness.mjs';
import {
  native,
  scenarioFile,
  experiment,
  printed,
  clickRun,
  summaryAttr,
  setField,
  waitForRun,
  runs,
  waitForIdle,
} from './page-helpers.mjs';
import path from 'node:path';

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  ({ page, errors } = await openPage(browser, server.url));
  await waitForStreamlab(page);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(root, name) {
  await root.scrollIntoViewIfNeeded();
  await root.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

test("Seeing Backpressure: Run prints the native runner's numbers", { timeout: 60000 }, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await clickRun(root);
  const want = native(scenarioFile('seeing-backpressure')).summary;
  assert.deepEqual(await summaryAttr(root), want);
  const got = await printed(root);
  assert.deepEqual(got, {
    produced: want.produced,
    readCalls: want.readCalls,
    consumed: want.consumed,
    drainEvents: want.drainEvents,
  });
  assert.equal(got.readCalls, 21);
  assert.equal(got.drainEvents, 4);
  // The timeline holds the whole trace, and the text alternative names the drains.
  const events = native(scenarioFile('seeing-backpressure')).trace.length;
  assert.match(await root.locator('.timeline-count').textContent(), new RegExp(`^${events} shown`));
  assert.match(
    await root.locator('.chart-sentences').textContent(),
    /'drain' events: sink 4 times, at 40 ms, 80 ms, 120 ms, 160 ms/,
  );
  await shot(root, 'seeing-backpressure');
});

test('Seeing Backpressure: a changed parameter changes the numbers as natively', { timeout: 60000 }, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await waitForIdle(root);
  const changed = { ...scenarioFile('seeing-backpressure') };
  changed.sink = { ...changed.sink, highWaterMark: 1000 };
  changed.source = { ...changed.source, chunks: 35 };
  const before = await runs(root);
  await setField(root, 'sink.highWaterMark', 1000);
  await waitForRun(root, before);
  const mid = await runs(root);
  await setField(root, 'source.chunks', 35);
  await waitForRun(root, mid);
  const want = native(changed).summary;
  assert.deepEqual(await summaryAttr(root), want);
  assert.deepEqual(await printed(root), {
    produced: 35,
    readCalls: want.readCalls,
    consumed: 35,
    drainEvents: want.drainEvents,
  });
  await root.locator('.form-tools button').click(); // Reset parameters
  await waitForIdle(root);
});

test("an invalid value is marked at its field with the core's reason and nothing runs", {
  timeout: 60000,
}, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await waitForIdle(root);
  const before = await runs(root);
  const summary = await root.getAttribute('data-summary');
  await setField(root, 'sink.highWaterMark', -1);
  const input = root.locator('[data-path="sink.highWaterMark"]');
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle());
  const id = (await input.getAttribute('aria-describedby')).split(' ').pop();
  const message = await root.locator(`[id="${id}"]`).textContent();
  const expected = await page.evaluate((s) => window.streamlab.validateScenario(s), {
    ...scenarioFile('seeing-backpressure'),
    sink: { ...scenarioFile('seeing-backpressure').sink, highWaterMark: -1 },
  });
  assert.equal(message, expected);
  assert.match(message, /^sink\.highWaterMark: /);
  assert.equal(await root.locator(':scope > .controls button.primary').isDisabled(), true);
  await page.waitForTimeout(400);
  assert.equal(await runs(root), before);
  assert.equal(await root.getAttribute('data-summary'), summary);
  await shot(root, 'invalid-field');
  await setField(root, 'sink.highWaterMark', 32);
  await waitForRun(root, before);
  assert.equal(await input.getAttribute('aria-invalid'), null);
});

test('play, pause and step move the timeline one event at a time', { timeout: 60000 }, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await clickRun(root); // also settles the run it starts by itself when scrolled into view
  const count = () =>
    root
      .locator('.timeline-count')
      .textContent()
      .then((t) => Number(t.match(/(\d+)/)[1]));
  const current = () => root.locator('.tl-row.current .tl-i').textContent();
  await root.locator('button', { hasText: /^Restart$/ }).click();
  assert.equal(await count(), 0);
  // The status no longer claims the run is over.
  assert.equal(await root.locator('.exp-status').textContent(), 'Restarted: Play, Step or Run');
  const step = root.locator('button', { hasText: /^Step$/ });
  await step.click();
  await page.waitForFunction((el) => el.querySelector('.tl-row.current'), await root.elementHandle());
  assert.equal(await count(), 1);
  assert.equal(await current(), '#0');
  await step.click();
  await page.waitForFunction(
    (el) => el.querySelector('.tl-row.current .tl-i')?.textContent === '#1',
    await root.elementHandle(),
  );
  assert.equal(await count(), 2);
  // The state line tells the state after the stepped event, from the core's bufferedAt.
  const trace = native(scenarioFile('seeing-backpressure')).trace;
  assert.match(await root.locator('.state-line').textContent(), new RegExp(`Event #1 at 0 ms: source ${trace[1].ev}`));

  await root.locator('select[aria-label="Playback speed"]').selectOption('normal');
  const play = root.locator('button', { hasText: /^(Play|Pause)$/ });
  await play.click();
  await page.waitForFunction(
    (el) => Number(el.querySelector('.timeline-count').textContent.match(/\d+/)[0]) >= 6,
    await root.elementHandle(),
    { timeout: 10000 },
  );
  await play.click(); // Pause
  // The timeline has drawn every event shown when paused (the clock line counts them).
  await page.waitForFunction(
    (el) =>
      el.querySelector('.timeline-count').textContent.match(/\d+/)[0] ===
      el.querySelector('.clock').textContent.match(/(\d+) events shown/)?.[1],
    await root.elementHandle(),
    { timeout: 5000 },
  );
  const paused = await count();
  await page.waitForTimeout(400);
  assert.equal(await count(), paused, 'nothing moves while paused');
  await step.click();
  await page.waitForFunction(
    ([el, n]) => Number(el.querySelector('.timeline-count').textContent.match(/\d+/)[0]) === n + 1,
    [await root.elementHandle(), paused],
  );
  assert.equal(await current(), `#${paused}`);
  // Each row shows exactly the core's event.
  const row = await root.locator('.tl-row.current .tl-ev').textContent();
  assert.equal(row, trace[paused].ev);
  await shot(root, 'seeing-backpressure-stepped');
});

test("Manual Backpressure: Run prints the native runner's numbers", { timeout: 60000 }, async () => {
  const root = experiment(page, 'manual-backpressure');
  await clickRun(root);
  const want = native(scenarioFile('manual-backpressure')).summary;
  assert.deepEqual(await summaryAttr(root), want);
  assert.deepEqual(await printed(root), { produced: 30, backpressurePauses: want.backpressurePauses });
  // The text alternative names the loop's waits, which the chart marks.
  const waits = native(scenarioFile('manual-backpressure')).trace.filter((e) => e.ev === 'wait').length;
  assert.ok(waits > 0);
  assert.match(
    await root.locator('.chart-sentences').textContent(),
    new RegExp(`The write loop waited for 'drain': loop ${waits} times`),
  );
  // Parameter change: more items.
  const before = await runs(root);
  await setField(root, 'writeLoop.items', 50);
  await waitForRun(root, before);
  const want50 = native({
    ...scenarioFile('manual-backpressure'),
    writeLoop: { ...scenarioFile('manual-backpressure').writeLoop, items: 50 },
  }).summary;
  assert.deepEqual(await printed(root), { produced: 50, backpressurePauses: want50.backpressurePauses });
  // Unticking "Wait for 'drain'" is a loop that ignores write()'s return value (the core
  // needs the field either way: an absent one is refused).
  const mid = await runs(root);
  await root.locator('[data-path="writeLoop.respectBackpressure"]').uncheck();
  await waitForRun(root, mid);
  const ignoring = native({
    ...scenarioFile('manual-backpressure'),
    writeLoop: { ...scenarioFile('manual-backpressure').writeLoop, items: 50, respectBackpressure: false },
  }).summary;
  assert.deepEqual(await summaryAttr(root), ignoring);
  assert.equal(await root.locator('[aria-invalid="true"]').count(), 0);
  await root.locator('.form-tools button').click();
  await waitForIdle(root);
  await shot(root, 'manual-backpressure');
});

test('Without vs With Backpressure: both sides print the native numbers', { timeout: 60000 }, async () => {
  for (const name of ['without-backpressure', 'with-backpressure']) {
    const root = experiment(page, name);
    await clickRun(root);
    const want = native(scenarioFile(name)).summary;
    assert.deepEqual(await summaryAttr(root), want);
    assert.deepEqual(await printed(root), { maxBufferedBytes: want.maxBufferedBytes });
  }
  const compare = page.locator('.lab-compare');
  const without = native(scenarioFile('without-backpressure')).summary.maxBufferedBytes;
  const withBp = native(scenarioFile('with-backpressure')).summary.maxBufferedBytes;
  assert.equal(without, 10100);
  assert.equal(withBp, 101);
  await page.waitForFunction(() => /Max buffered/.test(document.querySelector('.compare-verdict')?.textContent));
  const verdict = await compare.locator('.compare-verdict').textContent();
  assert.match(verdict, /Ignoring write\(\)'s return value 9\.86 KiB, Waiting for 'drain' 101 B/);
  await shot(compare, 'without-vs-with-backpressure');
});

// The work a trace records, counted as the sweep counts it (www/work.js), from the native run.
function workOf(trace) {
  const n = (ev) => trace.filter((e) => e.ev === ev).length;
  const bytes = trace.filter((e) => e.ev === 'push' || e.ev === 'write').reduce((m, e) => m + (e.len ?? 0), 0);
  const w = {
    reads: n('read'),
    writes: n('write'),
    writeCalls: n('_write'),
    callbacks: n('cb'),
    drains: n('drain'),
    pauses: n('pause'),
  };
  w.calls = w.reads + n('push') + w.writes + w.writeCalls + w.callbacks + w.drains + w.pauses + n('resume');
  w.bytesCopied = bytes;
  return w;
}

test("highWaterMark Tuning: virtual time and work equal the native runner's for every size; no CPU time", {
  timeout: 90000,
}, async () => {
  const root = page.locator('.lab-sweep').first();
  await clickRun(root);
  const names = [64, 1024, 16384, 65536].map((v) => `hwm-tuning-${v}`);
  const rows = JSON.parse(await root.getAttribute('data-summary'));
  assert.equal(rows.length, 4);
  const got = await printed(root);
  for (const [k, name] of names.entries()) {
    const want = native(scenarioFile(name));
    const work = workOf(want.trace);
    const { value, writes, calls, bytesCopied, modelledMs, ...summary } = rows[k];
    assert.equal(value, scenarioFile(name).source.highWaterMark);
    assert.deepEqual(summary, want.summary);
    assert.equal(writes, work.writes);
    assert.equal(calls, work.calls);
    assert.equal(bytesCopied, work.bytesCopied);
    // The default model: 1 µs per call, 0.0005 µs per byte, on top of the virtual time.
    assert.ok(Math.abs(modelledMs - (want.summary.endedAtMs + (work.calls + work.bytesCopied * 0.0005) / 1000)) < 1e-9);
    assert.equal(got[`virtualMs@${value}`], want.summary.endedAtMs);
    assert.equal(got[`calls@${value}`], work.calls);
    assert.equal(got[`maxBufferedBytes@${value}`], want.summary.maxBufferedBytes);
    // The table row the learner reads shows the same counts.
    const cells = await root.locator('.sweep-table tbody tr').nth(k).locator('th, td').allTextContents();
    assert.deepEqual(cells.slice(0, 10).map(Number), [
      value,
      want.summary.endedAtMs,
      work.reads,
      work.writes,
      work.writeCalls,
      work.callbacks,
      want.summary.writeFalse,
      work.drains,
      work.pauses,
      work.calls,
    ]);
  }
  // No figure of the simulator's own speed anywhere, and the model is named as one.
  const text = await root.textContent();
  assert.doesNotMatch(text, /core time|came out faster|performance\.now/);
  const verdict = await root.locator('.sweep-verdict').textContent();
  assert.match(verdict, /Virtual time was 0 ms at every size/);
  const allCalls = workOf(native(scenarioFile(names[0])).trace).calls.toLocaleString('en-US');
  assert.match(verdict, new RegExp(`The streams did the same work at hwm=64 and hwm=65536: ${allCalls} calls`));
  assert.match(verdict, /Modelled time \(virtual time \+ 1 µs per call \+ 0\.0005 µs per byte copied\)/);
  assert.match(verdict, /not a measurement of Node/);
  // The learner's cost model changes the modelled time, deterministically.
  await root.locator('input[id$="-call"]').fill('10');
  await page.waitForFunction((el) => JSON.parse(el.dataset.summary)[0].modelledMs > 50, await root.elementHandle());
  await root.locator('input[id$="-call"]').fill('1');
  // A changed value list follows too.
  const before = await runs(root);
  await root.locator('input[id^="sweep-values"]').fill('1, 65536');
  await waitForRun(root, before, 30000);
  const two = JSON.parse(await root.getAttribute('data-summary'));
  const one = scenarioFile('hwm-tuning-64');
  one.source.highWaterMark = 1;
  one.sink.highWaterMark = 1;
  assert.deepEqual(
    two.map((r) => r.value),
    [1, 65536],
  );
  const { value, writes, calls, bytesCopied, modelledMs, ...s1 } = two[0];
  assert.deepEqual(s1, native(one).summary);
  await root.locator('input[id^="sweep-values"]').fill('64, 1024, 16384, 65536');
  await waitForRun(root, before + 1, 30000);
  await shot(root, 'highwatermark-tuning');

  // Every value is traced, in a Worker: a run past the page's trace limit (by events, not
  // chunks) is refused with the limit and what to change, instead of running into the core's
  // event budget (an uncaught error, "Running…" forever); the form keeps the value.
  const done = await runs(root);
  await setField(root, 'source.chunks', 10000000);
  await page.waitForFunction(
    (el) => /^The core stopped at 64: /.test(el.querySelector('.exp-status').textContent),
    await root.elementHandle(),
  );
  assert.match(
    await root.locator('.exp-status').textContent(),
    /^The core stopped at 64: This run has more than 20,000 events; the page traces at most 20,000 events\. It was not run with the trace on\. To trace it, use a smaller source\.chunks\.$/,
  );
  assert.equal(await root.locator('[data-path="source.chunks"]').inputValue(), '10000000');
  // No values at all is said at the values box.
  const values = root.locator('input[id^="sweep-values"]');
  await values.fill('');
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await values.elementHandle());
  assert.match(
    await root.locator(`[id="${await values.getAttribute('id')}-err"]`).textContent(),
    /give at least one value/,
  );
  await values.fill('64, 1024, 16384, 65536');
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === null, await values.elementHandle());
  await page.waitForFunction(
    (el) => /^The core stopped at 64: This run has more than/.test(el.querySelector('.exp-status').textContent),
    await root.elementHandle(),
  );
  await root.locator('.form-tools button').first().click(); // Reset parameters
  await waitForRun(root, done, 30000);
});

test('highWaterMark with a slow sink: same virtual time, a small mark costs drains, a large one memory', {
  timeout: 90000,
}, async () => {
  const root = page.locator('.lab-sweep').nth(1);
  await clickRun(root);
  const rows = JSON.parse(await root.getAttribute('data-summary'));
  const want = [64, 1024, 16384, 65536].map((v) => native(scenarioFile(`hwm-async-sink-${v}`)));
  assert.deepEqual(
    rows.map((r) => r.endedAtMs),
    want.map((w) => w.summary.endedAtMs),
  );
  assert.deepEqual(
    rows.map((r) => r.endedAtMs),
    [1000, 1000, 1000, 1000],
  );
  assert.deepEqual(
    rows.map((r) => r.drainEvents),
    [999, 999, 62, 15],
  );
  assert.deepEqual(
    rows.map((r) => r.maxBufferedBytes),
    [2048, 2048, 32768, 131072],
  );
  assert.ok(rows[0].modelledMs > rows[3].modelledMs, 'the small mark costs more under the cost model');
  const verdict = await root.locator('.sweep-verdict').textContent();
  assert.match(verdict, /Virtual time was 1000 ms at every size/);
  assert.match(verdict, /drains 999 → 15/);
  assert.match(verdict, /Max buffered \(all streams together\): 2 KiB → 128 KiB/);
  await shot(root, 'highwatermark-slow-sink');
});

test("Object Mode: Run prints the native runner's numbers", { timeout: 60000 }, async () => {
  const root = experiment(page, 'object-mode');
  await clickRun(root);
  const scenario = scenarioFile('object-mode');
  const want = native(scenario).summary;
  assert.deepEqual(await summaryAttr(root), want);
  assert.deepEqual(await printed(root), {
    produced: want.produced,
    consumed: want.consumed,
    sourceHwm: 4,
    sinkHwm: 2,
  });
  const before = await runs(root);
  await setField(root, 'sink.highWaterMark', 5);
  await waitForRun(root, before);
  const changed = { ...scenario, sink: { ...scenario.sink, highWaterMark: 5 } };
  assert.deepEqual(await summaryAttr(root), native(changed).summary);
  assert.equal((await printed(root)).sinkHwm, 5);
  // A sink taken out of object mode counts bytes, and the output says so.
  const mid = await runs(root);
  await root.locator('[data-path="sink.objectMode"]').uncheck();
  await waitForRun(root, mid);
  assert.match(await root.locator('.output-lines').innerText(), /Consumer hwm: 5 bytes\n/);
  assert.match(await root.locator('.output-lines').innerText(), /Producer hwm: 4 objects,/);
  await root.locator('.form-tools button').click();
  await waitForIdle(root);
  await shot(root, 'object-mode');
});

test('Key insight: 10 GiB runs with the trace off and prints the native summary', { timeout: 90000 }, async () => {
  const root = experiment(page, 'key-insight-10gib');
  // Each run has its own Worker, terminated when the run is over (its memory goes back).
  const workers = [];
  const seen = (w) => workers.push(w.url());
  const waiting = page.workers().some((w) => w.url().endsWith('/www/core-worker.js'));
  page.on('worker', seen);
  await clickRun(root);
  page.off('worker', seen);
  const want = native(scenarioFile('key-insight-10gib'), { trace: false }).summary;
  assert.deepEqual(await summaryAttr(root), want);
  assert.deepEqual(await printed(root), {
    consumed: want.consumed,
    maxBufferedBytes: want.maxBufferedBytes,
    endedAtMs: want.endedAtMs,
  });
  await shot(root, 'key-insight-10gib');
  // The run went to the core's Worker (a new one, or the fresh one waiting), not the page's
  // main thread.
  assert.ok(workers.some((url) => url.endsWith('/www/core-worker.js')) || waiting, 'no core worker');
  // A fresh Worker may wait for the next run; none that ran stays.
  const ran = await Promise.all(
    page
      .workers()
      .filter((w) => w.url().endsWith('/www/core-worker.js'))
      .map((w) => w.evaluate(() => self.ranSomething === true).catch(() => false)),
  );
  assert.ok(!ran.some(Boolean), 'a finished run kept its Worker');
  // An invalid count hides the note about the old count being too long to trace.
  assert.equal(await root.locator('.exp-note').isVisible(), true);
  await setField(root, 'source.chunks', -1);
  await page.waitForFunction((el) => el.querySelector('[aria-invalid="true"]'), await root.elementHandle());
  assert.equal(await root.locator('.exp-note').isVisible(), false);
  await root.locator('.form-tools button').click();
  await waitForIdle(root);
});

test('window.streamlab.runScenario equals the native runner, with and without the trace', {
  timeout: 60000,
}, async () => {
  const scenario = scenarioFile('seeing-backpressure');
  const full = await page.evaluate((s) => window.streamlab.runScenario(JSON.stringify(s), { trace: true }), scenario);
  const want = native(scenario);
  assert.deepEqual(full.summary, want.summary);
  assert.deepEqual(full.trace, want.trace);
  assert.deepEqual(full.samples, want.samples);
  const lean = await page.evaluate((s) => window.streamlab.runScenario(s, { trace: false }), scenario);
  assert.deepEqual(lean.trace, []);
  assert.deepEqual(lean.summary, want.summary);
});

test('whole page, phone width and dark theme: screenshots, and no console errors', { timeout: 60000 }, async () => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'page-wide');
  await page.locator('#theme-toggle').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await experiment(page, 'seeing-backpressure').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dark-theme.png') });
  await page.locator('#theme-toggle').click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const root = experiment(page, 'seeing-backpressure');
  await root.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  // Nothing sticks out sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await root.screenshot({ path: path.join(ARTIFACTS, 'phone-seeing-backpressure.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });
  assert.deepEqual(errors, []);
});

test('keyboard: the timeline moves with arrow keys and shows the state at that event', { timeout: 60000 }, async () => {
  const root = experiment(page, 'object-mode');
  await clickRun(root);
  const list = root.locator('.timeline-list');
  await list.focus();
  await page.keyboard.press('Home');
  assert.equal(await root.locator('.tl-row.current .tl-i').textContent(), '#0');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await root.locator('.tl-row.current .tl-i').textContent(), '#2');
  assert.equal(
    await list.getAttribute('aria-activedescendant'),
    await root.locator('.tl-row.current').getAttribute('id'),
  );
  const trace = native(scenarioFile('object-mode')).trace;
  assert.match(
    await root.locator('.state-line').textContent(),
    new RegExp(`^Event #2 at ${trace[2].t} ms: ${trace[2].stream} ${trace[2].ev}`),
  );
  // Filtering by kind keeps only that kind, in order (the filters sit behind one control).
  await root.locator('.timeline-filter-box > summary').click();
  await root.locator('.chips label', { hasText: /^drain$/ }).waitFor();
  const kinds = await root.locator('.chips').nth(1).locator('label').allTextContents();
  for (const kind of kinds)
    if (kind !== 'drain')
      await root
        .locator('.chips')
        .nth(1)
        .locator('label', { hasText: new RegExp(`^${kind}$`) })
        .locator('input')
        .uncheck();
  const shown = await root.locator('.tl-row .tl-ev').allTextContents();
  assert.deepEqual(
    shown,
    trace.filter((e) => e.ev === 'drain').map((e) => e.ev),
  );
  assert.match(
    await root.locator('.timeline-count').textContent(),
    new RegExp(`^${shown.length} of ${trace.length} shown`),
  );
  // Tab reaches the run controls.
  await root.locator(':scope > .controls button.primary').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Play');
});

test('hovering the chart selects that event in the timeline and shows its state', { timeout: 60000 }, async () => {
  const root = experiment(page, 'manual-backpressure');
  await clickRun(root);
  const over = root.locator('.chart-buffered .u-over');
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForFunction(
    (el) => /^Event #\d+/.test(el.querySelector('.state-line').textContent),
    await root.elementHandle(),
  );
  const line = await root.locator('.state-line').textContent();
  const k = Number(line.match(/^Event #(\d+)/)[1]);
  const trace = native(scenarioFile('manual-backpressure')).trace;
  assert.ok(k > 10 && k < trace.length - 10, `near the middle: ${k} of ${trace.length}`);
  assert.match(line, new RegExp(`^Event #${k} at ${trace[k].t} ms: ${trace[k].stream} ${trace[k].ev}`));
  assert.equal(await root.locator('.tl-row.current .tl-i').textContent(), `#${k}`);
  await page.mouse.move(0, 0);
});

test('no console errors or failed requests over the whole session', () => {
  assert.deepEqual(errors, []);
});
