// A run's samples (SCENARIO.md: { t, buffered: { stream: amount }, total }) as columns:
// { n, streams, t, total, buffered }, buffered holding n rows of streams.length amounts in the
// order of `streams` (the first sample's keys; a missing amount is 0). A trace-off run's
// Worker sends its samples this way: received as 20,000 objects they took the page ~13 ms in
// the task of the message alone, while typed arrays are transferred, not copied.
export function sampleColumns(samples) {
  const n = samples.length;
  const streams = n ? Object.keys(samples[0].buffered) : [];
  const w = streams.length;
  const t = new Float64Array(n);
  const total = new Float64Array(n);
  const buffered = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    t[i] = s.t;
    total[i] = s.total;
    for (let k = 0; k < w; k++) buffered[i * w + k] = s.buffered[streams[k]] ?? 0;
  }
  return { n, streams, t, total, buffered };
}

// The columns' arrays, for postMessage's transfer list.
export function sampleTransferables(columns) {
  return [columns.t.buffer, columns.total.buffer, columns.buffered.buffer];
}
