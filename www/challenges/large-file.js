// Challenge "A large file to a slow destination": pure logic (no DOM), so the page, the
// element and the node tests share it.
//
// The file is a source of equal chunks (what fs.createReadStream gives: 64 KiB chunks,
// highWaterMark 65536, and a short wait for the disk on every read), piped into a writable
// that needs some milliseconds per chunk. Memory is a MODEL of the process's RSS: a fixed
// baseline plus every byte buffered in the streams, sampled every 100 ms of virtual time.
import { KIB, MIB, GIB, formatBytes, formatSeconds } from './format.js';
import { readAll } from './numbers.js';

export const ID = 'large-file';
export const TITLE = 'A large file to a slow destination';
export const BASELINE = 30 * MIB; // a small Node process before it holds any data
export const BOUND = 64 * MIB; // the stated bound on peak modelled memory
export const MIN_FILE = GIB;
export const SAMPLE_MS = 100;
export const READ_DELAY_MS = 1; // the disk's answer to each read
export const SOURCE_HWM = 65536; // fs.createReadStream's default
export const MAX_CHUNK = 64 * MIB; // the core's limit for one chunk
export const MAX_CHUNKS = 10_000_000; // the core's limit for chunks or items
export const MAX_SAMPLES = 1_000_000; // the core's limit for samples (one per SAMPLE_MS)

export const METHODS = [
  { id: 'pipeline', label: 'pipeline(source, sink)' },
  { id: 'pipe', label: 'source.pipe(sink)' },
  { id: 'loop-drain', label: "a write loop that awaits 'drain'" },
  { id: 'loop-ignore', label: "a write loop that ignores write()'s return" },
];

// What the form starts with: a file too small for the goal, so the learner has work to do.
export const DEFAULTS = { fileMiB: '256', chunkKiB: '64', sinkMs: '5', method: 'pipeline' };

export const HINTS = [
  'The goal needs a file of at least 1 GiB: type 1024 (MiB) or more into the file size.',
  "Memory stays flat when the slow sink can tell the source to wait: pipeline() and pipe() listen for write() returning false and pause the source until 'drain'.",
  "A write loop that ignores write()'s return value queues the whole file in the sink's buffer: its peak grows with the file. Try it and compare the chart.",
  'The bound is on what is buffered at once. With backpressure that is a few chunks, so very large chunks (tens of MiB) can still go over it: keep chunks small.',
];

// Reads the form's text into numbers, or field errors that say why.
export function readInput(form) {
  const { values, errors } = readAll({
    fileMiB: [form.fileMiB, { min: 1, max: 1024 * 1024, label: 'File size (MiB)' }],
    chunkKiB: [form.chunkKiB, { min: 1, max: MAX_CHUNK / KIB, integer: true, label: 'Chunk size (KiB)' }],
    sinkMs: [form.sinkMs, { min: 0, max: 10_000, label: 'Sink time per chunk (ms)' }],
  });
  const method = METHODS.some((m) => m.id === form.method) ? form.method : null;
  if (!method) errors.method = 'Method: pick one of the list';
  if (!Object.keys(errors).length) {
    const chunks = chunkCount(values.fileMiB * MIB, values.chunkKiB * KIB);
    if (chunks > MAX_CHUNKS)
      errors.chunkKiB = `Chunk size (KiB): the file would be ${chunks.toLocaleString('en-US')} chunks; the core takes at most 10,000,000`;
    // The sink takes one chunk at a time, each a timer of at least 1 ms: the run lasts at
    // least that long, and the core keeps one sample per 100 ms of it.
    const runMs = chunks * Math.max(1, values.sinkMs);
    if (!errors.chunkKiB && runMs / SAMPLE_MS > MAX_SAMPLES) {
      errors.sinkMs = `Sink time per chunk (ms): ${chunks.toLocaleString('en-US')} chunks take at least ${formatSeconds(runMs)} of virtual time, more than the core samples (1,000,000 samples, one per ${SAMPLE_MS} ms: ${formatSeconds(MAX_SAMPLES * SAMPLE_MS)}); a faster sink, bigger chunks or a smaller file`;
    }
  }
  return { input: { ...values, method }, errors };
}

function chunkCount(fileBytes, chunkBytes) {
  return Math.ceil(fileBytes / chunkBytes);
}

// The scenario for a method; the file is rounded up to whole chunks.
export function scenarioFor(input, method = input.method) {
  const chunk = input.chunkKiB * KIB;
  const chunks = chunkCount(input.fileMiB * MIB, chunk);
  const sink = { delayMs: input.sinkMs };
  const base = { schema: 'streamlab/scenario@1', sampleEveryMs: SAMPLE_MS };
  if (method === 'pipeline' || method === 'pipe') {
    return {
      ...base,
      name: `large-file-${method}`,
      connect: method,
      source: { chunks, chunk: { bytes: chunk }, highWaterMark: SOURCE_HWM, readDelayMs: READ_DELAY_MS },
      sink,
    };
  }
  return {
    ...base,
    name: `large-file-${method}`,
    connect: 'write-loop',
    sink,
    writeLoop: { items: chunks, chunk: { bytes: chunk }, respectBackpressure: method === 'loop-drain' },
  };
}

// The same file written by a loop that ignores write()'s return: the page's contrast.
export function contrastScenario(input) {
  return scenarioFor(input, 'loop-ignore');
}

// Modelled memory (bytes) at each sample.
export function memorySeries(samples) {
  return {
    t: samples.map((s) => s.t),
    bytes: samples.map((s) => BASELINE + s.total),
  };
}

// Peak modelled memory of a run: the baseline plus the largest amount buffered at any trace
// event (the summary's figure, which the 100 ms samples can only approach).
export function peakMemory(summary) {
  return BASELINE + summary.maxBufferedBytes;
}

// { passed, reasons[], facts } for the learner's run (`result`, or `failure`: the core's error
// message) and the contrast run's summary (may be null).
export function check(input, result, contrast, failure = null) {
  const fileBytes = chunkCount(input.fileMiB * MIB, input.chunkKiB * KIB) * input.chunkKiB * KIB;
  const reasons = [];
  const facts = { fileBytes, bound: BOUND, baseline: BASELINE };
  if (failure) {
    return { passed: false, reasons: [`The core could not run it: ${failure}`], facts };
  }
  const s = result.summary;
  facts.peak = peakMemory(s);
  // A loop, not Math.max(...samples): a long run has hundreds of thousands of samples, more
  // arguments than a call can take ("Maximum call stack size exceeded").
  let sampledTotal = -Infinity;
  for (const x of result.samples) if (x.total > sampledTotal) sampledTotal = x.total;
  facts.sampledPeak = BASELINE + sampledTotal;
  facts.endedAtMs = s.endedAtMs;
  if (contrast) facts.contrastPeak = peakMemory(contrast);
  if (fileBytes < MIN_FILE) {
    reasons.push(`The file is ${formatBytes(fileBytes)}; the goal is a file of at least 1 GiB (1024 MiB).`);
  }
  if (s.error) reasons.push(`The run ended with an error: ${s.error.message}`);
  if (s.consumed * input.chunkKiB * KIB < fileBytes) {
    reasons.push(`Only ${formatBytes(s.consumed * input.chunkKiB * KIB)} of the file reached the sink.`);
  }
  if (facts.peak >= BOUND) {
    const why =
      input.method === 'loop-ignore'
        ? "the loop ignored write()'s return value, so the file piled up in the sink's buffer"
        : `with ${formatBytes(input.chunkKiB * KIB)} chunks, even the few chunks in flight are too much`;
    reasons.push(
      `Peak modelled memory was ${formatBytes(facts.peak)}, over the bound of ${formatBytes(BOUND)}: ${why}.`,
    );
  }
  const passed = reasons.length === 0;
  if (passed) {
    reasons.push(
      `A ${formatBytes(fileBytes)} file went through with peak modelled memory ${formatBytes(facts.peak)} (bound ${formatBytes(BOUND)})` +
        (contrast
          ? `; ignoring write()'s return value, the same file peaks at ${formatBytes(facts.contrastPeak)}.`
          : '.'),
    );
  }
  return { passed, reasons, facts };
}
