// What the page's longest main-thread tasks contain (a benchmark, by hand):
//
//   ./build.sh build && node tests/bench/long-tasks-profile.mjs [PASSES] [MIN_CPU_MS]
//
// The same exercise as tests/e2e/long-tasks.test.mjs (every experiment's largest traced run:
// run to the end, Play fast then slow, Pause, Step, Run, Step after the end; then 20,000 chunks
// with the trace off), with a mark in Chromium's trace before each action. For every
// main-thread task over MIN_CPU_MS (default 20) of thread CPU time it prints the action it fell
// in and what ran inside it: the event that started it (a Worker's message, an animation frame,
// a timer), the functions called, layout, style, paint and garbage collection, each with its
// CPU time. Writes tests/artifacts/long-tasks-profile.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openPage, waitForStreamlab, ARTIFACTS } from '../e2e/harness.mjs';
import { startTrace, mainThreads } from '../e2e/chromium-trace.mjs';
import { LARGEST, exercise, bigUntraced } from '../e2e/long-tasks-exercise.mjs';

const passes = Number(process.argv[2] ?? 1);
const minCpuMs = Number(process.argv[3] ?? 20);

const server = await startServer();
const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });

// A short name for a trace event inside a task.
function label(e) {
  const d = e.args?.data ?? e.args?.beginData ?? {};
  if (e.name === 'FunctionCall')
    return `call ${d.functionName || '(anonymous)'} ${path.basename(d.url ?? '')}:${d.lineNumber}`;
  if (e.name === 'EventDispatch') return `event ${d.type}`;
  if (e.name === 'TimerFire') return 'timer';
  if (e.name === 'FireAnimationFrame') return 'animation frame';
  return e.name;
}

// The V8 CPU profile's samples on the main thread: [{ ts, dt, stack }], dt the time until the
// next sample (µs), stack its frames outermost first.
function samplesOf(trace, pid, tid) {
  const nodes = new Map();
  const out = [];
  // The chunks come from the profiler's own thread, with the main thread's profile id.
  const profile = trace.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  const chunks = trace.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile?.id);
  let start = profile?.args?.data?.startTime ?? 0;
  for (const c of chunks) {
    const d = c.args?.data ?? {};
    for (const n of d.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const samples = d.cpuProfile?.samples ?? [];
    const deltas = d.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      start += deltas[i] ?? 0;
      out.push({ ts: start, id: samples[i] });
    }
  }
  const stackOf = (id) => {
    const stack = [];
    for (let n = nodes.get(id); n; n = nodes.get(n.parent)) {
      const f = n.callFrame ?? {};
      stack.unshift(`${f.functionName || '(anonymous)'} ${path.basename(f.url ?? '')}:${f.lineNumber ?? ''}`);
    }
    return stack;
  };
  return out.map((s, i) => ({ ts: s.ts, dt: (out[i + 1]?.ts ?? s.ts) - s.ts, stack: stackOf(s.id) }));
}

// Sampled time (ms) per function within [from, to], counted once per sample it is on the stack.
function inclusive(profile, from, to) {
  const time = new Map();
  for (const s of profile) {
    if (s.ts < from || s.ts > to) continue;
    for (const f of new Set(s.stack)) time.set(f, (time.get(f) ?? 0) + s.dt / 1000);
  }
  return [...time]
    .filter(([f]) => !/^\(root\)|^\(program\)/.test(f))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([f, ms]) => `${ms.toFixed(1)} ${f}`);
}

async function pass() {
  const { page, errors } = await openPage(browser);
  await page.goto(server.url);
  await waitForStreamlab(page);
  // SAMPLE=1: V8's sampling profiler too (which functions ran); it slows the page down.
  const tracing = await startTrace(page, [
    'v8',
    'blink.user_timing',
    ...(process.env.SAMPLE ? ['disabled-by-default-v8.cpu_profiler'] : []),
  ]);
  const mark = (what) => page.evaluate((w) => console.timeStamp(`phase ${w}`), what);
  const load = os.loadavg()[0];
  // ONLY=name: one experiment (and no trace-off run unless it is seeing-backpressure).
  const only = process.env.ONLY;
  for (const [name, field, count] of LARGEST)
    if (!only || only === name) await exercise(page, name, field, count, mark);
  if (!only || only === 'seeing-backpressure') await bigUntraced(page, mark);
  const trace = await tracing.end();
  await page.close();

  const main = mainThreads(trace);
  const marks = main
    .filter((e) => e.name === 'TimeStamp' && /^phase /.test(e.args?.data?.message ?? ''))
    .map((e) => ({ ts: e.ts, what: e.args.data.message.slice(6) }));
  const tasks = main.filter((e) => e.ph === 'X' && e.name === 'RunTask');
  const phaseOf = (ts) => [...marks].reverse().find((m) => m.ts <= ts)?.what ?? 'before';
  const long = tasks.filter((t) => (t.tdur ?? 0) > minCpuMs * 1000).sort((a, b) => b.tdur - a.tdur);
  const rows = long.map((t) => {
    const inside = main.filter(
      (e) => e !== t && e.ph === 'X' && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && (e.tdur ?? e.dur) >= 500,
    );
    return {
      phase: phaseOf(t.ts),
      cpuMs: +(t.tdur / 1000).toFixed(1),
      wallMs: +(t.dur / 1000).toFixed(1),
      parts: inside.map((e) => ({
        at: +((e.ts - t.ts) / 1000).toFixed(1),
        what: label(e),
        cpuMs: +((e.tdur ?? e.dur) / 1000).toFixed(1),
      })),
    };
  });
  const profile = samplesOf(trace, main[0]?.pid, main[0]?.tid);
  for (const [i, t] of long.entries()) rows[i].functions = inclusive(profile, t.ts, t.ts + t.dur);
  const worst = Math.max(...tasks.map((t) => (t.tdur ?? 0) / 1000));
  return { load, loadAfter: os.loadavg()[0], worst, rows, errors };
}

const out = [];
try {
  for (let i = 0; i < passes; i++) {
    const r = await pass();
    out.push(r);
    console.log(
      `pass ${i + 1}: longest task ${r.worst.toFixed(1)} ms CPU; load average ${r.load.toFixed(2)} -> ${r.loadAfter.toFixed(2)}; tasks over ${minCpuMs} ms: ${r.rows.length}`,
    );
    for (const row of r.rows.slice(0, 12)) {
      console.log(`  ${row.cpuMs} ms CPU (${row.wallMs} wall) during "${row.phase}"`);
      for (const p of row.parts) console.log(`      +${p.at}  ${p.cpuMs}  ${p.what}`);
      for (const f of row.functions ?? []) console.log(`        sampled ${f}`);
    }
    if (r.errors.length) console.log('  page errors:', r.errors);
  }
} finally {
  await browser.close();
  await server.close();
}
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(path.join(ARTIFACTS, 'long-tasks-profile.json'), `${JSON.stringify(out, null, 2)}\n`);
