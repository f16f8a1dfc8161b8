// The core's trace read as typed arrays over wasm memory (Simulation.traceSegment), a batch at
// a time: no JSON and no object per event until the page shows one (eventOf). A batch is a few
// compact arrays that a Worker transfers to the page as they are.
//
//   const reader = new TraceReader(sim, memory, kinds, segmentEvents)
//       kinds: the core's traceKinds(); segmentEvents: its traceSegmentEvents()
//   reader.read(from, max) -> batch { first, n, kind, flags, stream, t, len, length, rows,
//                                     names, codes }   (n stops at the end of from's segment)
//   eventOf(batch, k, kinds) -> { t, ev, stream, ... } as SCENARIO.md "Trace events"
//
// rows: each stream's buffered amount just after each event, names.length per event.
//
// In wasm memory an event is a 16-byte record (crate/src/trace.rs Record: kind and flags bytes,
// then stream, len and length as u32) and an 8-byte change (the stream whose buffered amount
// it changed, and that amount), in segments of segmentEvents events that never move.

const WIDE = 0xffffffff; // a value in its side list (crate/src/trace.rs Wide::MARK)
const NONE = 0xffffffff; // no stream changed at this event (BufferedLog::NONE)
const LOOP = 0xffffffff; // the write loop (Trace::LOOP)
const RET = 1;
const EOF = 2;

// Segment k and the side lists at this moment (a side list moves as it grows: read them again
// after every step).
function views(memory, layout) {
  const buffer = memory.buffer;
  let p = 0;
  const view = (Type, per = 1) => {
    const ptr = layout[p];
    const len = layout[p + 1];
    p += 2;
    return new Type(buffer, ptr, len * per);
  };
  const wide = () => ({ at: view(Uint32Array), value: view(BigUint64Array) });
  const recordsAt = layout[0];
  const records = view(Uint32Array, 4);
  const recordBytes = new Uint8Array(buffer, recordsAt, records.length * 4);
  const changes = view(Uint32Array, 2);
  return {
    records,
    recordBytes,
    changes,
    lenWide: wide(),
    lengthWide: wide(),
    timeFrom: view(Uint32Array),
    timeAt: view(BigUint64Array),
    amountWide: wide(),
    moreAt: view(Uint32Array),
    moreStream: view(Uint32Array),
    moreAmount: view(Uint32Array),
    moreAmountWide: wide(),
  };
}

// The index of the last element <= i in an increasing array (-1 if none).
function lastAtMost(sorted, i) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// Item i's value, its 4-byte field holding v: v itself, or its side list when it does not fit.
function fieldValue(wide, i, v) {
  if (v !== WIDE) return v;
  const k = lastAtMost(wide.at, i);
  return k >= 0 && wide.at[k] === i ? Number(wide.value[k]) : 0;
}

export class TraceReader {
  constructor(sim, memory, kinds, segmentEvents) {
    this.sim = sim;
    this.memory = memory;
    this.kinds = kinds;
    this.segmentEvents = segmentEvents;
    this.row = new Float64Array(0); // every stream's amount after event `applied - 1`
    this.applied = 0;
    this.more = 0; // the next unapplied entry of the side list of changes
  }

  // Copies out events [from, from + max), fewer at the trace's end or at the end of from's
  // segment. Every call into the core that may allocate (and so grow memory, which detaches
  // the views) comes before or after the views are read, never between.
  read(from, max) {
    const names = Array.from(this.sim.streams());
    const total = this.sim.traceLength();
    const start = Math.min(from, total);
    const segment = Math.floor(start / this.segmentEvents);
    const base = segment * this.segmentEvents; // the segment's first event
    const n = Math.max(0, Math.min(max, total - start, base + this.segmentEvents - start));
    const end = start + n;
    const before = start !== this.applied && start > 0 ? this.sim.bufferedAt(start - 1) : null;
    const c = views(this.memory, this.sim.traceSegment(segment));
    const t = new Float64Array(n);
    let run = lastAtMost(c.timeFrom, start);
    for (let k = 0; k < n; k++) {
      while (run + 1 < c.timeFrom.length && c.timeFrom[run + 1] <= start + k) run++;
      t[k] = Number(c.timeAt[run]);
    }
    const kind = new Uint8Array(n);
    const flags = new Uint8Array(n);
    const stream = new Uint32Array(n);
    const len = new Float64Array(n);
    const length = new Float64Array(n);
    const errors = [];
    const errorKind = this.kinds.indexOf('error');
    for (let k = 0; k < n; k++) {
      const e = start + k;
      const r = (e - base) * 4; // the record's first word
      kind[k] = c.recordBytes[r * 4];
      flags[k] = c.recordBytes[r * 4 + 1];
      stream[k] = c.records[r + 1];
      len[k] = fieldValue(c.lenWide, e, c.records[r + 2]);
      length[k] = fieldValue(c.lengthWide, e, c.records[r + 3]);
      if (kind[k] === errorKind) errors.push(k);
    }
    if (start !== this.applied) this.seek(c, start, names, before);
    const batch = {
      first: start,
      n,
      kind,
      flags,
      stream,
      t,
      len,
      length,
      rows: this.rows(c, start, end, base, names.length),
      names,
      codes: {},
    };
    // An error's len is its index in the run's error table; its code comes from the core.
    for (const k of errors) batch.codes[k] = this.sim.errorCode(len[k]) ?? null;
    return batch;
  }

  // The buffered rows of events [start, end), replaying the changes in order from `applied`.
  rows(c, start, end, base, width) {
    if (this.row.length !== width) {
      const row = new Float64Array(width);
      row.set(this.row.subarray(0, Math.min(width, this.row.length)));
      this.row = row;
    }
    const out = new Float64Array((end - start) * width);
    for (let e = start; e < end; e++) {
      const s = c.changes[(e - base) * 2];
      if (s !== NONE && s < width) this.row[s] = fieldValue(c.amountWide, e, c.changes[(e - base) * 2 + 1]);
      while (this.more < c.moreAt.length && c.moreAt[this.more] === e) {
        const other = c.moreStream[this.more];
        if (other < width) this.row[other] = fieldValue(c.moreAmountWide, this.more, c.moreAmount[this.more]);
        this.more++;
      }
      out.set(this.row, (e - start) * width);
    }
    this.applied = end;
    return out;
  }

  // Starts the replay at event `start` (a reader that skipped ahead or went back): the row
  // after event start - 1 (`before`, from the core's bufferedAt), and the side list from there.
  seek(c, start, names, before) {
    this.row = new Float64Array(names.length);
    names.forEach((name, s) => {
      this.row[s] = before?.[name] ?? 0;
    });
    this.more = lastAtMost(c.moreAt, start - 1) + 1;
    this.applied = start;
  }
}

// Event k of a batch as the object SCENARIO.md describes (the keys in the JSON result's order).
export function eventOf(batch, k, kinds) {
  const ev = kinds[batch.kind[k]];
  const s = batch.stream[k];
  const e = { t: batch.t[k], ev, stream: s === LOOP ? 'loop' : (batch.names[s] ?? `#${s}`) };
  const ret = (batch.flags[k] & RET) !== 0;
  switch (ev) {
    case 'read':
      e.rl = batch.length[k];
      break;
    case 'push':
      e.len = batch.len[k];
      e.ret = ret;
      e.rl = batch.length[k];
      if (batch.flags[k] & EOF) e.eof = true;
      break;
    case 'write':
      e.len = batch.len[k];
      e.ret = ret;
      e.wl = batch.length[k];
      break;
    case '_write':
      e.len = batch.len[k];
      e.wl = batch.length[k];
      break;
    case 'cb':
      e.wl = batch.length[k];
      break;
    case 'error':
      e.code = batch.codes[k] ?? null;
      break;
  }
  return e;
}

// The batch's arrays, for postMessage's transfer list.
export function transferables(batch) {
  return [batch.kind, batch.flags, batch.stream, batch.t, batch.len, batch.length, batch.rows].map((a) => a.buffer);
}
