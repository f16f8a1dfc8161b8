// The page's figures (a benchmark, not a test): load to interactive, Run to charts drawn for
// each experiment, what is shipped (gzipped), and the 10 GiB scenario run in the page with
// the trace off, with the wasm memory before and after.
//
//   ./build.sh && node tests/bench/page-bench.mjs
//
// Prints a table and writes tests/artifacts/page-bench.json. Times are medians of several
// rounds, measured inside the page with performance.now().
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launchBrowser, openPage, waitForStreamlab, DIST, ARTIFACTS } from '../e2e/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function gz(file) {
  const raw = fs.readFileSync(file);
  return { raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
}

function shipped() {
  const www = path.join(DIST, 'www');
  const groups = { wasm: [], js: [], css: [], lesson: [] };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.wasm')) groups.wasm.push(file);
      else if (file.endsWith('.js')) groups.js.push(file);
      else if (file.endsWith('.css')) groups.css.push(file);
      else if (file.endsWith('.md') || file.endsWith('.json')) groups.lesson.push(file);
    }
  };
  walk(www);
  groups.html = [path.join(DIST, 'index.html')];
  const out = {};
  for (const [k, files] of Object.entries(groups)) {
    out[k] = files.map(gz).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
    out[k].files = files.length;
  }
  return out;
}

// Clicks an experiment's Run and waits, in the page, for the run to finish and the charts to
// be painted (one animation frame after the result is shown).
async function runToCharts(page, selector) {
  return page.evaluate(async (sel) => {
    const root = document.querySelector(sel);
    const button = root.querySelector(':scope > .controls button.primary');
    root.scrollIntoView();
    while (/Running|changed/.test(root.querySelector('.exp-status')?.textContent ?? '')) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = Number(root.dataset.runs ?? 0);
    const t0 = performance.now();
    button.click();
    while (Number(root.dataset.runs ?? 0) <= before) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, selector);
}

const EXPERIMENTS = [
  ['Seeing Backpressure', '[data-scenario="seeing-backpressure"]'],
  ['Manual Backpressure', '[data-scenario="manual-backpressure"]'],
  ['Without Backpressure', '[data-scenario="without-backpressure"]'],
  ['With Backpressure', '[data-scenario="with-backpressure"]'],
  ['highWaterMark Tuning (4 sizes, 5 timed batches each)', '.lab-sweep'],
  ['Object Mode', '[data-scenario="object-mode"]'],
  ['10 GiB key insight (trace off)', '[data-scenario="key-insight-10gib"]'],
];

const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
const results = { when: new Date().toISOString(), rounds: ROUNDS, shipped: shipped() };
try {
  // Load to interactive: navigation start to the core loaded and the lesson's experiments mounted.
  const loads = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { page } = await openPage(browser, server.url);
    await waitForStreamlab(page);
    loads.push(await page.evaluate(() => performance.getEntriesByName('streamlab-ready')[0].startTime));
    await page.close();
  }
  results.loadToInteractiveMs = median(loads);

  const { page, errors } = await openPage(browser, server.url);
  await waitForStreamlab(page);
  results.runToChartsMs = {};
  for (const [label, selector] of EXPERIMENTS) {
    const times = [];
    for (let r = 0; r < ROUNDS; r++) times.push(await runToCharts(page, selector));
    results.runToChartsMs[label] = median(times);
  }

  // The 10 GiB scenario straight through the API, trace off, and the wasm memory around it.
  results.tenGiB = await page.evaluate(async (rounds) => {
    const s = await window.streamlab.loadScenario('key-insight-10gib');
    const memBefore = window.streamlab.wasmMemoryBytes();
    const times = [];
    let summary;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      summary = (await window.streamlab.runScenario(s, { trace: false })).summary;
      times.push(performance.now() - t0);
    }
    const memAfter = window.streamlab.wasmMemoryBytes();
    times.sort((a, b) => a - b);
    return {
      medianMs: times[times.length >> 1],
      minMs: times[0],
      maxMs: times[times.length - 1],
      wasmMemoryBefore: memBefore,
      wasmMemoryAfter: memAfter,
      chunks: summary.consumed,
      maxBufferedBytes: summary.maxBufferedBytes,
    };
  }, ROUNDS);
  results.consoleErrors = errors;
} finally {
  await browser.close();
  await server.close();
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`load to interactive (median of ${ROUNDS}): ${results.loadToInteractiveMs.toFixed(0)} ms`);
console.log('Run to charts drawn (median):');
for (const [label, ms] of Object.entries(results.runToChartsMs))
  console.log(`  ${label.padEnd(52)} ${ms.toFixed(1)} ms`);
console.log('shipped (raw / gzip -9):');
for (const [k, v] of Object.entries(results.shipped))
  console.log(`  ${k.padEnd(7)} ${String(v.files).padStart(3)} files  ${kib(v.raw).padStart(10)} / ${kib(v.gzip)}`);
const t = results.tenGiB;
console.log(
  `10 GiB (${t.chunks} chunks, trace off) in the page: median ${t.medianMs.toFixed(1)} ms (min ${t.minMs.toFixed(1)}, max ${t.maxMs.toFixed(1)}); ` +
    `wasm memory ${kib(t.wasmMemoryBefore)} before, ${kib(t.wasmMemoryAfter)} after ${ROUNDS} runs`,
);
if (results.consoleErrors.length) console.log('console errors:', results.consoleErrors);
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'page-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
