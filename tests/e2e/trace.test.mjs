// The trace's way to the page: the wasm fetched and compiled once (each run's Worker gets the
// page's Module), the events the player shows are the native runner's trace event for event
// (read in the Worker from the core's columns), and the page's wasm memory stays small.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForStreamlab } from './harness.mjs';
import { native } from './page-helpers.mjs';

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

// Three transforms, a slow sink and a sink that fails: every kind of event and a code.
const SCENARIOS = [
  {
    schema: 'streamlab/scenario@1',
    name: 'three transforms',
    connect: 'pipeline',
    source: { chunks: 120, chunk: { bytes: 700 }, highWaterMark: 2048 },
    transforms: [{ highWaterMark: 1000, delayMs: 2 }, {}, { highWaterMark: 3 }],
    sink: { highWaterMark: 1500, delayMs: 3 },
  },
  {
    schema: 'streamlab/scenario@1',
    name: 'a failing sink',
    connect: 'pipe',
    source: { chunks: 40, chunk: { bytes: 10 } },
    sink: { failAt: 7 },
  },
];

test('one wasm fetch; the player shows the native trace; the page memory stays small', { timeout: 90000 }, async () => {
  const wasmRequests = [];
  browser.context.on('request', (req) => {
    if (req.url().endsWith('.wasm')) wasmRequests.push(req.url());
  });
  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  for (const scenario of SCENARIOS) {
    const shown = await page.evaluate(async (s) => {
      const div = document.createElement('div');
      document.body.append(div);
      const exp = await window.streamlab.mountExperiment(div, s, { autorun: false });
      await exp.run();
      const rec = exp.recorder;
      return { events: rec.events, buffered: rec.streams.map((n) => rec.buffered[n]), streams: rec.streams };
    }, scenario);
    const want = native(scenario).trace;
    assert.equal(shown.events.length, want.length, scenario.name);
    assert.deepEqual(shown.events, want, scenario.name);
    // The sink's buffered amount after a write, _write or cb is the writableLength it reports.
    const sink = shown.streams.indexOf('sink');
    want.forEach((e, i) => {
      if (e.stream === 'sink' && e.wl !== undefined) assert.equal(shown.buffered[sink][i], e.wl, `event ${i}`);
    });
  }
  assert.ok(SCENARIOS.length >= 2);
  assert.equal(wasmRequests.filter((u) => u.includes('streamlab_bg')).length, 1, wasmRequests.join(', '));
  const bytes = await page.evaluate(() => window.streamlab.wasmMemoryBytes());
  assert.ok(bytes < 10 * 1024 * 1024, `the page's wasm memory is ${bytes} bytes after the runs`);
  assert.deepEqual(errors, []);
});
