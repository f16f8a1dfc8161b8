// Every claim the page makes about a run, checked against that run's trace from the native
// runner (which the differential tests hold to real Node): the output lines' notes, each
// sentence under the chart, the pause explanations, and the facts the lesson text states
// about its first experiment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, REPO } from './harness.mjs';
import { native, scenarioFile, experiment, clickRun, setField, waitForRun, runs } from './page-helpers.mjs';
import { formatBytes } from '../../www/units.js';

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  ({ page, errors } = await openPage(browser, server.url));
  await waitForStreamlab(page);
  await page.waitForFunction(() => document.documentElement.dataset.lesson === 'ready');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const sentences = async (root) => root.locator('.chart-sentences li').allTextContents();
const times = (events) => events.map((e) => `${e.t} ms`);

// "a, b, c" or "a, … and N more", as chart-text.js lists moments.
function listed(values) {
  if (values.length <= 8) return values.join(', ');
  return `${values.slice(0, 8).join(', ')} and ${values.length - 8} more`;
}

// The per-stream buffered amount after each event, from the trace's own fields: a readable's
// rl (push, read) and a writable's wl (write, _write, cb) as each event reports it.
function peaks(trace) {
  const out = {};
  for (const e of trace) {
    const v = e.rl ?? e.wl;
    if (v === undefined || e.ev === 'cb' || e.ev === '_write' || e.ev === 'read') continue;
    out[e.stream] = Math.max(out[e.stream] ?? 0, v);
  }
  return out;
}

// The checks that hold for any traced pipe/pipeline/loop run.
async function checkSentences(root, scenario) {
  const { summary, trace } = native(scenario);
  const said = await sentences(root);
  const find = (re) => said.find((s) => re.test(s));

  assert.equal(find(/^Max buffered/), `Max buffered, all streams together: ${formatBytes(summary.maxBufferedBytes)}.`);
  // Per stream "peak": for a stream with one side, the largest rl/wl the trace reports.
  const p = peaks(trace);
  for (const [stream, peak] of Object.entries(p)) {
    if (/^t\d/.test(stream)) continue; // a transform holds rl + wl: not one trace field
    const line = find(new RegExp(`^${stream}: peak `));
    assert.ok(line, `a sentence for ${stream}`);
    assert.match(line, new RegExp(`^${stream}: peak ${formatBytes(peak).replace('.', '\\.')} buffered`), line);
  }
  const per = (pred) => {
    const by = new Map();
    for (const e of trace.filter(pred)) {
      if (!by.has(e.stream)) by.set(e.stream, []);
      by.get(e.stream).push(e);
    }
    return [...by].map(([s, es]) => `${s} ${es.length} times, at ${listed(times(es))}`).join('; ');
  };
  const drains = trace.filter((e) => e.ev === 'drain');
  assert.equal(
    find(/^'drain' events/),
    `'drain' events: ${drains.length ? `${per((e) => e.ev === 'drain')}.` : 'never.'}`,
  );
  const falses = trace.filter((e) => e.ev === 'write' && e.ret === false);
  assert.equal(
    find(/^write\(\) returned false/),
    `write() returned false: ${falses.length ? `${per((e) => e.ev === 'write' && e.ret === false)}.` : 'never.'}`,
  );
  const pauses = trace.filter((e) => e.ev === 'pause');
  assert.equal(
    find(/^'pause' events/),
    `'pause' events: ${pauses.length ? `${per((e) => e.ev === 'pause')}.` : 'never.'}`,
  );
  const count = (pred) => trace.filter(pred).length;
  assert.equal(
    find(/^Counts so far/),
    `Counts so far: ${count((e) => e.ev === 'read' && e.stream === 'source')} _read() calls, ${count((e) => e.ev === 'write' && e.stream === 'sink')} write() calls, ${count((e) => e.ev === '_write' && e.stream === 'sink')} _write() calls, ${count((e) => e.ev === 'drain')} 'drain' events over all streams.`,
  );

  // Pauses: each one the page calls "not backpressure" came after its stream's 'end'; the
  // reads it says a paused source still made are there, and so is the level it names.
  for (const line of said.filter((s) => /is not backpressure/.test(s))) {
    const [, stream, t] = /^The 'pause' of (\S+) at (\d+) ms/.exec(line);
    const i = trace.findIndex((e) => e.ev === 'pause' && e.stream === stream && e.t === Number(t));
    assert.ok(i >= 0);
    assert.ok(
      trace.slice(0, i).some((e) => e.ev === 'end' && e.stream === stream),
      `${line}: an 'end' before it`,
    );
    assert.ok(!trace.slice(0, i).some((e) => e.ev === 'write' && e.ret === false && i - trace.indexOf(e) === 1));
  }
  const after = find(/^After its first 'pause'/);
  const first = trace.findIndex(
    (e, i) => e.ev === 'pause' && !trace.slice(0, i).some((f) => f.ev === 'end' && f.stream === e.stream),
  );
  if (first < 0) assert.equal(after, undefined);
  else {
    const stream = trace[first].stream;
    let reads = 0;
    let maxRl = null;
    for (const e of trace.slice(first + 1)) {
      if (e.stream !== stream) continue;
      if (e.ev === 'resume') break;
      if (e.ev === 'read') reads += 1;
      if (e.rl !== undefined) maxRl = Math.max(maxRl ?? 0, e.rl);
    }
    if (reads) {
      assert.match(after, new RegExp(`_read\\(\\) was still called ${reads} more times? before it resumed`));
      const m = /it reached (\d+) against a mark of (\d+)/.exec(after);
      if (m) {
        assert.equal(Number(m[1]), maxRl);
        assert.ok(maxRl > Number(m[2]));
        // The overshoot is less than one chunk: the level before the last push was below it.
        const lastPush = trace.slice(first).find((e) => e.ev === 'push' && e.stream === stream && e.rl === maxRl);
        assert.ok(maxRl - lastPush.len < Number(m[2]), 'the mark was crossed by one chunk');
      }
    } else assert.match(after, /was not called again/);
  }
  return { summary, trace };
}

test('Seeing backpressure: every sentence under the chart matches the trace', { timeout: 60000 }, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await clickRun(root);
  await checkSentences(root, scenarioFile('seeing-backpressure'));
});

test("the lesson's own numbers about the first experiment are the trace's", () => {
  const lesson = fs.readFileSync(path.join(REPO, 'www/lessons/backpressure.md'), 'utf8').replace(/\s+/g, ' ');
  const { trace } = native(scenarioFile('seeing-backpressure'));
  const first = trace.findIndex((e) => e.ev === 'pause');
  const resume = trace.findIndex((e, i) => i > first && e.ev === 'resume' && e.stream === 'source');
  const between = trace.slice(first + 1, resume).filter((e) => e.stream === 'source');
  const reads = between.filter((e) => e.ev === 'read').length;
  const level = between.filter((e) => e.ev === 'push').at(-1).rl;
  assert.equal(reads, 7);
  assert.equal(level, 67);
  assert.match(
    lesson,
    /`_read\(\)` is still called seven more times, filling the source's own buffer to 67 bytes against its mark of 64/,
  );
  const maxRl = Math.max(...trace.filter((e) => e.stream === 'source' && e.rl !== undefined).map((e) => e.rl));
  assert.equal(maxRl, 81);
  assert.match(lesson, /refills to about one chunk over its mark \(up to 81 bytes\)/);
  // "_read() can be entered with the buffer already over it (rl 67, 71, 72 in that trace)"
  const over = [...new Set(trace.filter((e) => e.ev === 'read' && e.rl > 64).map((e) => e.rl))];
  assert.deepEqual(over, [67, 68, 69, 70, 71, 72]);
  for (const v of [67, 71, 72]) assert.ok(over.includes(v));
  assert.match(lesson, /\(`rl` 67, 71, 72 in that trace\)/);
  // The Concept no longer says a paused source's _read() "is no longer called".
  assert.doesNotMatch(lesson, /is no longer called/);
  // The slow-sink sweep's figures.
  const drains = [64, 65536].map((v) => native(scenarioFile(`hwm-async-sink-${v}`)).summary);
  assert.equal(drains[0].drainEvents, 999);
  assert.equal(drains[1].drainEvents, 15);
  assert.equal(drains[1].maxBufferedBytes, 128 * 1024);
  assert.match(lesson, /\(999 drains\)/);
  assert.match(lesson, /15 drains, and up to 128 KiB held/);
});

test("a 'pause' at the end of the stream is said to be no backpressure (sink hwm 1000)", {
  timeout: 60000,
}, async () => {
  const root = experiment(page, 'seeing-backpressure');
  const before = await runs(root);
  await setField(root, 'sink.highWaterMark', 1000);
  await waitForRun(root, before);
  const changed = scenarioFile('seeing-backpressure');
  changed.sink.highWaterMark = 1000;
  const { trace } = await checkSentences(root, changed);
  assert.equal(trace.filter((e) => e.ev === 'drain').length, 0);
  const said = (await sentences(root)).join('\n');
  assert.match(said, /The 'pause' of source at 0 ms is not backpressure: source had ended/);
  await root.locator('.form-tools button').click();
  await waitForRun(root, before + 1);
});

test('write loops: the output notes and the sentences match the trace', { timeout: 60000 }, async () => {
  for (const name of ['manual-backpressure', 'without-backpressure', 'with-backpressure']) {
    const root = experiment(page, name);
    await clickRun(root);
    const { summary, trace } = await checkSentences(root, scenarioFile(name));
    // "Max buffered" of a write loop is the sink's largest writableLength in the trace.
    const maxWl = Math.max(...trace.filter((e) => e.wl !== undefined).map((e) => e.wl));
    assert.equal(summary.maxBufferedBytes, maxWl);
    const out = await root.locator('.output-lines').innerText();
    if (name === 'with-backpressure') {
      const hwm = scenarioFile(name).sink.highWaterMark;
      const chunk = 101;
      assert.match(out, /Max buffered: 101 B/);
      assert.match(out, /at most the highWaterMark, 16 B, plus one 101 B chunk/);
      assert.ok(maxWl <= hwm + chunk);
      assert.ok(maxWl > hwm, 'it does pass the mark: the note says so');
    }
    if (name === 'without-backpressure') {
      const all = trace.filter((e) => e.ev === 'write').reduce((m, e) => m + e.len, 0);
      assert.equal(maxWl, all);
      assert.match(out, /Max buffered: 9\.86 KiB/);
      assert.match(out, /\(all of the data was buffered at once\)/);
    }
  }
});

test('object mode: sentences in objects match the trace', { timeout: 60000 }, async () => {
  const root = experiment(page, 'object-mode');
  await clickRun(root);
  const { summary } = native(scenarioFile('object-mode'));
  const said = await sentences(root);
  assert.equal(said[0], `Max buffered, all streams together: ${summary.maxBufferedBytes} objects.`);
});

test('the tanks show the stepped event: levels against the mark, and the signals as they happen', {
  timeout: 60000,
}, async () => {
  const root = experiment(page, 'seeing-backpressure');
  await root.scrollIntoViewIfNeeded();
  await root.locator(':scope > .controls button', { hasText: /^Restart$/ }).click();
  const step = root.locator(':scope > .controls button', { hasText: /^Step$/ });
  const { trace } = native(scenarioFile('seeing-backpressure'));
  const falseAt = trace.findIndex((e) => e.ev === 'write' && e.ret === false); // #15
  for (let k = 0; k <= falseAt; k++) await step.click();
  const tank = (s) => root.locator(`.tank[data-stream="${s}"]`);
  assert.equal(await tank('sink').locator('.tank-value').textContent(), `${trace[falseAt].wl} B / hwm 32 B`);
  assert.equal(await tank('sink').locator('.tank-flag').textContent(), "waiting for 'drain'");
  assert.match(await root.locator('.tank-signal').textContent(), /^0 ms, sink: write\(\) → false/);
  // The next event is the source's 'pause': the source is flagged paused, and the next _read()
  // still runs (the tank fills while paused).
  await step.click();
  assert.equal(trace[falseAt + 1].ev, 'pause');
  assert.match(await tank('source').locator('.tank-flag').textContent(), /^paused/);
  assert.match(await root.locator('.tank-signal').textContent(), /'pause'/);
  for (let k = 0; k < 2; k++) await step.click();
  assert.equal(trace[falseAt + 3].ev, 'push');
  assert.match(
    await tank('source').locator('.tank-value').textContent(),
    new RegExp(`^${trace[falseAt + 3].rl} B / hwm 64 B`),
  );
  assert.match(await tank('source').locator('.tank-flag').textContent(), /^paused/);
  // The keyboard: S steps too (focus inside the experiment, not in a field).
  await step.focus();
  await page.keyboard.press('s');
  assert.match(await root.locator('.clock').textContent(), new RegExp(`${falseAt + 5} events shown`));
});

test("'Step both' moves both sides to the same virtual time, not the same event count", {
  timeout: 60000,
}, async () => {
  const compare = page.locator('.lab-compare');
  await compare.scrollIntoViewIfNeeded();
  const sides = compare.locator('.experiment');
  for (const k of [0, 1])
    await sides
      .nth(k)
      .locator(':scope > .controls button', { hasText: /^Restart$/ })
      .click();
  const both = compare.locator('.compare-controls button', { hasText: /^Step both$/ });
  const clocks = async () =>
    Promise.all(
      [0, 1].map(async (k) =>
        (await sides.nth(k).locator('.clock').textContent()).match(/t = (\d+) ms virtual · (\d+) events/),
      ),
    );
  // A step ends when both sides have revealed up to the same moment: the clocks are read until
  // one side's event count moved from before the click and both show one time (or 10 s pass).
  const settled = async (before) => {
    const until = Date.now() + 10000;
    for (;;) {
      const now = await clocks();
      const moved = now.some((c, k) => c[2] !== before[k][2]);
      if ((moved && now[0][1] === now[1][1]) || Date.now() > until) return now;
      await page.waitForTimeout(50);
    }
  };
  let seen = 0;
  for (let k = 0; k < 6; k++) {
    const before = await clocks();
    await both.click();
    const [a, b] = await settled(before);
    assert.ok(a[2] !== before[0][2] || b[2] !== before[1][2], `a step revealed nothing: ${a[0]} | ${b[0]}`);
    assert.equal(a[1], b[1], `same time: ${a[0]} | ${b[0]}`);
    if (a[2] !== b[2]) seen += 1;
  }
  // The two runs have different numbers of events per millisecond, so counts do differ.
  assert.ok(seen > 0, 'the event counts differ while the times agree');
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
