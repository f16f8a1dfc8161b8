// Challenge "A throttled transform": pure logic. A fast source feeds a Transform that lets
// at most N bytes per second through (the contract's throttleBytesPerSec), into a sink.
// The page steps the core in 100 ms slices of virtual time and records, at each, how many
// bytes the sink has taken and how much waits upstream (source + transform buffers).
import { KIB, MIB, formatBytes, formatRate, formatPercent, formatSeconds } from './format.js';
import { readAll } from './numbers.js';

export const ID = 'throttle';
export const TITLE = 'A throttled transform';
export const STEP_MS = 100;
export const WINDOW_MS = 1000; // throughput is measured over one-second windows
export const TOLERANCE = 0.05; // the rate over the whole run
export const WINDOW_TOLERANCE = 0.1; // each full one-second window
export const MIN_RUN_MS = 5000; // shorter runs cannot show a rate
export const MAX_RUN_MS = 3_600_000; // an hour of virtual time: 36,000 slices at most
export const UPSTREAM_BOUND = MIB;

// The rate is left empty: picking it is the learner's part.
export const DEFAULTS = {
  rate: '',
  dataMiB: '4',
  chunkKiB: '16',
  sourceHwmKiB: '64',
  transformHwmKiB: '16',
  sinkMs: '',
};

export const HINTS = [
  'Pick N so that the data takes at least 5 seconds: 4 MiB at 262144 bytes/s (256 KiB/s) takes 16 s.',
  "The throttle can only hold a rate the sink can keep up with: a sink that needs d ms per chunk takes at most chunk ÷ d bytes per millisecond. Leave the sink's time empty (at once) or make it small.",
  'Each one-second window must stay within 10% of N, so a second must hold several chunks: keep chunks well under N ÷ 10.',
  'Upstream memory stays bounded because the throttle calls back late: its buffer fills, write() returns false, and the source is paused. A huge source highWaterMark lets the source read ahead anyway, and that is what the 1 MiB bound catches.',
];

export function readInput(form) {
  const { values, errors } = readAll({
    rate: [form.rate, { min: 1, max: 1e12, label: 'Rate N (bytes/s)' }],
    dataMiB: [form.dataMiB, { min: 0.001, max: 1024, label: 'Data (MiB)' }],
    chunkKiB: [form.chunkKiB, { min: 0.001, max: 65536, label: 'Chunk size (KiB)' }],
    sourceHwmKiB: [form.sourceHwmKiB, { min: 0, max: 1024 * 1024, label: 'Source highWaterMark (KiB)' }],
    transformHwmKiB: [form.transformHwmKiB, { min: 0, max: 1024 * 1024, label: 'Transform highWaterMark (KiB)' }],
    sinkMs: [form.sinkMs, { min: 0, max: 10_000, optional: true, label: 'Sink time per chunk (ms)' }],
  });
  if (!Object.keys(errors).length) {
    const chunk = Math.round(values.chunkKiB * KIB);
    const chunks = Math.ceil((values.dataMiB * MIB) / chunk);
    if (chunk < 1) errors.chunkKiB = 'Chunk size (KiB): at least one byte';
    else if (chunks > 1_000_000)
      errors.chunkKiB = `Chunk size (KiB): that is ${chunks.toLocaleString('en-US')} chunks; keep it under 1,000,000`;
    const runMs = (1000 * chunks * chunk) / values.rate;
    if (runMs > MAX_RUN_MS)
      errors.rate = `Rate N (bytes/s): the data would take ${formatSeconds(runMs)} of virtual time; keep it under an hour (a larger N or less data)`;
    // A slow sink sets its own floor: one timer (at least 1 ms) per chunk, one after another.
    const sinkRunMs = values.sinkMs === null ? 0 : chunks * Math.max(1, values.sinkMs);
    if (sinkRunMs > MAX_RUN_MS)
      errors.sinkMs = `Sink time per chunk (ms): the sink alone would take ${formatSeconds(sinkRunMs)} of virtual time for ${chunks.toLocaleString('en-US')} chunks; keep it under an hour (a faster sink, bigger chunks or less data)`;
  }
  return { input: values, errors };
}

export function scenarioFor(input) {
  const chunk = Math.round(input.chunkKiB * KIB);
  return {
    schema: 'streamlab/scenario@1',
    name: 'throttle',
    connect: 'pipeline',
    source: {
      chunks: Math.ceil((input.dataMiB * MIB) / chunk),
      chunk: { bytes: chunk },
      highWaterMark: Math.round(input.sourceHwmKiB * KIB),
    },
    transforms: [{ highWaterMark: Math.round(input.transformHwmKiB * KIB), throttleBytesPerSec: input.rate }],
    sink: { delayMs: input.sinkMs },
  };
}

// One reading per slice: { t, delivered (bytes taken by the sink), upstream (bytes buffered
// in the source and the transform) }. `read()` gives { consumed, lengths } from the core.
export function reading(t, chunkBytes, consumed, lengths) {
  const len = (s) => (lengths[s]?.rl ?? 0) + (lengths[s]?.wl ?? 0);
  return { t, delivered: consumed * chunkBytes, upstream: len('source') + len('t0') };
}

// Throughput over the last second at each reading (null for the first second).
export function throughputSeries(readings) {
  const per = WINDOW_MS / STEP_MS;
  return readings.map((r, k) => (k >= per ? ((r.delivered - readings[k - per].delivered) * 1000) / WINDOW_MS : null));
}

// Rates of the full, back-to-back one-second windows [0,1), [1,2), … that end by `endMs`.
export function windowRates(readings, endMs) {
  const per = WINDOW_MS / STEP_MS;
  const out = [];
  for (let k = per; k < readings.length && readings[k].t <= endMs; k += per) {
    out.push({
      from: readings[k - per].t,
      rate: ((readings[k].delivered - readings[k - per].delivered) * 1000) / WINDOW_MS,
    });
  }
  return out;
}

// { passed, reasons[], facts }.
export function check(input, readings, summary) {
  const chunk = Math.round(input.chunkKiB * KIB);
  const N = input.rate;
  const reasons = [];
  const total = summary.consumed * chunk;
  const endMs = summary.endedAtMs;
  const rate = endMs > 0 ? (total * 1000) / endMs : Infinity;
  const windows = windowRates(readings, endMs);
  const worst = windows.reduce((w, x) => (Math.abs(x.rate - N) > Math.abs((w?.rate ?? N) - N) ? x : w), null);
  // reduce, not Math.max(...readings): a long run has more readings than a call takes arguments.
  const upstreamPeak = readings.reduce((m, r) => Math.max(m, r.upstream), 0);
  const facts = { rate, N, endMs, total, windows: windows.length, worst, upstreamPeak, bound: UPSTREAM_BOUND };
  if (summary.error) reasons.push(`The run ended with an error: ${summary.error.message}`);
  if (endMs < MIN_RUN_MS) {
    reasons.push(
      `The run lasted ${formatSeconds(endMs)} of virtual time; a rate needs at least ${formatSeconds(MIN_RUN_MS)}: send more data or pick a smaller N.`,
    );
  } else {
    const off = Math.abs(rate - N) / N;
    if (off > TOLERANCE) {
      const sinkCap = input.sinkMs ? (chunk * 1000) / Math.max(1, Math.floor(input.sinkMs)) : Infinity;
      const why =
        sinkCap < N
          ? ` The sink is the bottleneck: at ${input.sinkMs} ms per ${formatBytes(chunk)} chunk it takes at most ${formatRate(sinkCap)}.`
          : '';
      reasons.push(
        `The measured rate was ${formatRate(rate)}, ${formatPercent(off)} ${rate < N ? 'below' : 'above'} N = ${formatRate(N)} (tolerance ${formatPercent(TOLERANCE)}).${why}`,
      );
    }
    if (worst && Math.abs(worst.rate - N) / N > WINDOW_TOLERANCE) {
      reasons.push(
        `In the second from ${formatSeconds(worst.from)} the rate was ${formatRate(worst.rate)}, more than ${formatPercent(WINDOW_TOLERANCE)} away from N: ${chunk * 10 > N ? `a second holds fewer than 10 chunks of ${formatBytes(chunk)}, so the rate moves in steps of a whole chunk` : 'the flow was uneven'}.`,
      );
    }
  }
  if (upstreamPeak > UPSTREAM_BOUND) {
    reasons.push(
      `Upstream (source and transform buffers) held up to ${formatBytes(upstreamPeak)}, over the bound of ${formatBytes(UPSTREAM_BOUND)}: the source read ahead instead of being held back.`,
    );
  }
  const passed = reasons.length === 0;
  if (passed) {
    reasons.push(
      `Measured ${formatRate(rate)} against N = ${formatRate(N)} over ${formatSeconds(endMs)}, every one-second window within ${formatPercent(WINDOW_TOLERANCE)}, and upstream never held more than ${formatBytes(upstreamPeak)}.`,
    );
  }
  return { passed, reasons, facts };
}
