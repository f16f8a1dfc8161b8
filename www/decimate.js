// Keeps what a chart can show of a long run, fed incrementally: points are grouped into
// buckets along x, and each bucket keeps, per series, its minimum, maximum and last value
// (lines) or its last marked value (markers). When there are more buckets than the chart has
// pixel columns to show them, neighbours merge and the bucket width doubles. Adding a point
// costs O(series); drawing costs O(buckets), whatever the length of the run, so a chart never
// rebuilds its paths from every event on every frame.
//
// A bucket that holds one point is drawn as that point, so short runs are drawn exactly.

export class Decimator {
  // kinds: per series, 'line' or 'marker'. maxBuckets: about two per pixel column.
  constructor(kinds, maxBuckets = 1200) {
    this.kinds = kinds;
    this.maxBuckets = Math.max(16, maxBuckets);
    this.width = 1; // x units per bucket; doubles as the run grows
    this.buckets = [];
    this.cache = null;
  }

  // One point: x (non-decreasing), values per series (null: no value), and the trace index
  // it stands for (what hovering that point selects).
  push(x, values, event) {
    const key = Math.floor(x / this.width);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.key !== key) {
      b = {
        key,
        x0: x,
        x1: x,
        e0: event,
        e1: event,
        n: 0,
        min: values.slice(),
        max: values.slice(),
        last: values.slice(),
        mark: this.kinds.map((k, s) => (k === 'marker' ? values[s] : null)),
        markEvent: values.some((v, s) => this.kinds[s] === 'marker' && v != null) ? event : null,
      };
      this.buckets.push(b);
    } else {
      this.absorbPoint(b, x, values, event);
    }
    b.n += 1;
    this.cache = null;
    if (this.buckets.length > this.maxBuckets) this.merge();
  }

  absorbPoint(b, x, values, event) {
    b.x1 = x;
    b.e1 = event;
    for (let s = 0; s < values.length; s++) {
      const v = values[s];
      if (this.kinds[s] === 'marker') {
        if (v != null) {
          b.mark[s] = v;
          b.markEvent = event;
        }
        continue;
      }
      if (v == null) continue;
      if (b.min[s] == null || v < b.min[s]) b.min[s] = v;
      if (b.max[s] == null || v > b.max[s]) b.max[s] = v;
      b.last[s] = v;
    }
  }

  // Doubles the bucket width and joins the buckets that now share a key.
  merge() {
    this.width *= 2;
    const out = [];
    for (const b of this.buckets) {
      const key = Math.floor(b.x0 / this.width);
      const prev = out[out.length - 1];
      if (!prev || prev.key !== key) {
        b.key = key;
        out.push(b);
        continue;
      }
      prev.x1 = b.x1;
      prev.e1 = b.e1;
      prev.n += b.n;
      for (let s = 0; s < this.kinds.length; s++) {
        if (this.kinds[s] === 'marker') {
          if (b.mark[s] != null) prev.mark[s] = b.mark[s];
          continue;
        }
        if (b.min[s] != null && (prev.min[s] == null || b.min[s] < prev.min[s])) prev.min[s] = b.min[s];
        if (b.max[s] != null && (prev.max[s] == null || b.max[s] > prev.max[s])) prev.max[s] = b.max[s];
        if (b.last[s] != null) prev.last[s] = b.last[s];
      }
      if (b.markEvent != null) prev.markEvent = b.markEvent;
    }
    this.buckets = out;
  }

  // uPlot's data ([xs, ...series]) and, per point, the trace index it stands for.
  output() {
    if (this.cache) return this.cache;
    const S = this.kinds.length;
    const xs = [];
    const cols = this.kinds.map(() => []);
    const events = [];
    for (const b of this.buckets) {
      if (b.n === 1) {
        xs.push(b.x0);
        events.push(b.e0);
        for (let s = 0; s < S; s++) cols[s].push(this.kinds[s] === 'marker' ? b.mark[s] : b.last[s]);
        continue;
      }
      // Three points: the column's low and high at its first x, then its last value at its
      // last x; a marker sits on the first of them.
      xs.push(b.x0, b.x0, b.x1);
      events.push(b.markEvent ?? b.e0, b.e0, b.e1);
      for (let s = 0; s < S; s++) {
        if (this.kinds[s] === 'marker') cols[s].push(b.mark[s], null, null);
        else cols[s].push(b.min[s], b.max[s], b.last[s]);
      }
    }
    this.cache = { data: [xs, ...cols], events };
    return this.cache;
  }

  get points() {
    return this.output().data[0].length;
  }
}
