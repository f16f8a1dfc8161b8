// Reading a program's run record for the challenges' code steps: pure functions over what the
// code lab's runProgram returns (www/code/runner.js): { output, exitCode, message, endedAt,
// streams: [{name, kind, readableHighWaterMark, writableHighWaterMark}], summary: {events,
// maxBufferedBytes, endedAtMs}, trace (the first 20,000 stream events), traceTruncated, samples }.
// Every verdict is worked out from these fields, never from what the program printed, except
// where a step asks for printed lines (the large-file log) and says so.
import { formatCount } from './format.js';

// The engine keeps this many trace events (crate/js/src/recording.rs TRACE_CAP).
export const TRACE_CAP = 20_000;

const EXIT_MEANING = {
  1: 'an uncaught error',
  2: 'a syntax error or a module Streamlab does not have',
  3: 'a limit of the runner',
  13: 'a top-level await that never settled',
};

// Why a run cannot be checked at all (it did not finish, or its trace was cut), or null.
// `smaller` says how this challenge's program makes fewer events.
export function unusable(result, { what = 'the run', smaller = 'use bigger chunks or less data' } = {}) {
  if (!result || typeof result !== 'object') return `${what} gave no record`;
  if (result.exitCode !== 0) {
    const meaning = EXIT_MEANING[result.exitCode] ?? 'process.exit()';
    const message = String(result.message ?? '').trim();
    return `The program did not finish: exit code ${result.exitCode} (${meaning})${message ? `: ${message.split('\n')[0]}` : ''}.`;
  }
  if (result.traceTruncated) {
    return `The program made ${formatCount(result.summary?.events ?? 0)} stream events; the page keeps the first ${formatCount(TRACE_CAP)} and needs all of them to count what went through: ${smaller}.`;
  }
  return null;
}

export const streamsOf = (result) => (Array.isArray(result?.streams) ? result.streams : []);
export const traceOf = (result) => (Array.isArray(result?.trace) ? result.trace : []);

// Per stream: { writes, writeBytes, falses, writesWhileFull, _writeBytes, pushBytes, pushes,
// reads, drains, maxRl, maxWl, maxChunk, firstWriteT, lastPushT } from the trace, in one pass.
export function tally(trace) {
  const by = new Map();
  const of = (name) => {
    let s = by.get(name);
    if (!s) {
      s = {
        writes: 0,
        writeBytes: 0,
        falses: 0,
        writesWhileFull: 0,
        writeBytesProcessed: 0,
        pushes: 0,
        pushBytes: 0,
        reads: 0,
        drains: 0,
        maxRl: 0,
        maxWl: 0,
        maxChunk: 0,
        firstWriteT: null,
        lastPushT: null,
        full: false,
      };
      by.set(name, s);
    }
    return s;
  };
  for (const e of trace) {
    const s = of(String(e.stream));
    const len = Number.isFinite(e.len) ? e.len : 0;
    if (Number.isFinite(e.rl) && e.rl > s.maxRl) s.maxRl = e.rl;
    if (Number.isFinite(e.wl) && e.wl > s.maxWl) s.maxWl = e.wl;
    if (len > s.maxChunk) s.maxChunk = len;
    switch (e.ev) {
      case 'write':
        s.writes += 1;
        s.writeBytes += len;
        if (s.full) s.writesWhileFull += 1;
        if (e.ret === false) {
          s.falses += 1;
          s.full = true;
        }
        break;
      case '_write':
        s.writeBytesProcessed += len;
        if (s.firstWriteT === null) s.firstWriteT = e.t;
        break;
      case 'push':
        if (len > 0) {
          s.pushes += 1;
          s.pushBytes += len;
          s.lastPushT = e.t;
        }
        break;
      case 'read':
        s.reads += 1;
        break;
      case 'drain':
        s.drains += 1;
        s.full = false;
        break;
      default:
    }
  }
  return by;
}

// A run record's digest: SHA-256 (hex) of what the run did (exit, times, streams, counts and
// the output), so a stored pass names one exact run. Anything else (the narrow sweep's rows)
// is digested as its JSON.
export async function digestOf(record) {
  const isRun = record && typeof record === 'object' && 'exitCode' in record && 'output' in record;
  const text = JSON.stringify(
    isRun
      ? [
          record.exitCode,
          record.endedAt,
          record.summary?.events,
          record.summary?.maxBufferedBytes,
          streamsOf(record).map((s) => [s.name, s.kind, s.readableHighWaterMark, s.writableHighWaterMark]),
          traceOf(record).length,
          (record.output ?? []).map((o) => [o.t, o.stream, o.text]),
        ]
      : record,
  );
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
