// The core's trace read as typed arrays over wasm memory (Simulation.traceColumns), a batch at
// a time: no JSON and no object per event until the page shows one (eventOf). A batch is a few
// compact arrays that a Worker transfers to the page as they are.
//
//   const reader = new TraceReader(sim, memory, kinds)   kinds: the core's traceKinds()
//   reader.read(from, max) -> batch { first, n, kind, flags, stream, t, len, length, rows,
//                                     names, codes }
//   eventOf(batch, k, kinds) -> { t, ev, stream, ... } as SCENARIO.md "Trace events"
//
// rows: each stream's buffered amount just after each event, names.length per event.

const WIDE = 0xffffffff; // a value in the column's side list (crate/src/trace.rs Column::WIDE)
const NONE = 0xffffffff; // no stream changed at this event (BufferedLog::NONE)
const LOOP = 0xffffffff; // the write loop (Trace::LOOP)
const RET = 1;
const EOF = 2;

// The columns at this moment (they move as they grow: read them again after every step).
function views(memory, layout) {
  const buffer = memory.buffer;
  let p = 0;
  const view = (Type) => {
    const ptr = layout[p++];
    const len = layout[p++];
    return new Type(buffer, ptr, len);
  };
  const column = () => ({ narrow: view(Uint32Array), wideAt: view(Uint32Array), wide: view(BigUint64Array) });
  return {
    kind: view(Uint8Array),
    flags: view(Uint8Array),
    stream: view(Uint32Array),
    len: column(),
    length: column(),
    timeFrom: view(Uint32Array),
    timeAt: view(BigUint64Array),
    changed: view(Uint32Array),
    amount: column(),
    moreAt: view(Uint32Array),
    moreStream: view(Uint32Array),
    moreAmount: column(),
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

// Value i of a column: 4 bytes, or its side list when it does not fit.
function valueAt(col, i) {
  const v = col.narrow[i];
  if (v !== WIDE) return v;
  const k = lastAtMost(col.wideAt, i);
  return k >= 0 && col.wideAt[k] === i ? Number(col.wide[k]) : 0;
}

export class TraceReader {
  constructor(sim, memory, kinds) {
    this.sim = sim;
    this.memory = memory;
    this.kinds = kinds;
    this.row = new Float64Array(0); // every stream's amount after event `applied - 1`
    this.applied = 0;
    this.more = 0; // the next unapplied entry of the side list of changes
  }

  // Copies out events [from, from + max) (fewer at the trace's end). Every call into the core
  // that may allocate (and so grow memory, which detaches the views) comes before or after
  // the views are read, never between.
  read(from, max) {
    const names = Array.from(this.sim.streams());
    const total = this.sim.traceLength();
    const start = Math.min(from, total);
    const n = Math.max(0, Math.min(max, total - start));
    const end = start + n;
    const before = start !== this.applied && start > 0 ? this.sim.bufferedAt(start - 1) : null;
    const c = views(this.memory, this.sim.traceColumns());
    const t = new Float64Array(n);
    let run = lastAtMost(c.timeFrom, start);
    for (let k = 0; k < n; k++) {
      while (run + 1 < c.timeFrom.length && c.timeFrom[run + 1] <= start + k) run++;
      t[k] = Number(c.timeAt[run]);
    }
    const len = new Float64Array(n);
    const length = new Float64Array(n);
    const errors = [];
    const errorKind = this.kinds.indexOf('error');
    for (let k = 0; k < n; k++) {
      len[k] = valueAt(c.len, start + k);
      length[k] = valueAt(c.length, start + k);
      if (c.kind[start + k] === errorKind) errors.push(k);
    }
    if (start !== this.applied) this.seek(c, start, names, before);
    const batch = {
      first: start,
      n,
      kind: c.kind.slice(start, end),
      flags: c.flags.slice(start, end),
      stream: c.stream.slice(start, end),
      t,
      len,
      length,
      rows: this.rows(c, start, end, names.length),
      names,
      codes: {},
    };
    // An error's len is its index in the run's error table; its code comes from the core.
    for (const k of errors) batch.codes[k] = this.sim.errorCode(len[k]) ?? null;
    return batch;
  }

  // The buffered rows of events [start, end), replaying the changes in order from `applied`.
  rows(c, start, end, width) {
    if (this.row.length !== width) {
      const row = new Float64Array(width);
      row.set(this.row.subarray(0, Math.min(width, this.row.length)));
      this.row = row;
    }
    const out = new Float64Array((end - start) * width);
    for (let e = start; e < end; e++) {
      const s = c.changed[e];
      if (s !== NONE && s < width) this.row[s] = valueAt(c.amount, e);
      while (this.more < c.moreAt.length && c.moreAt[this.more] === e) {
        const other = c.moreStream[this.more];
        if (other < width) this.row[other] = valueAt(c.moreAmount, this.more);
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
