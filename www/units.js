// Amounts with units that scale (B, KiB, MiB, GiB) for axes, outputs, legends and
// sentences, so a 10 GiB run reads "10 GiB" and never "10737418240". Object-mode streams
// count objects: those are plain counts. Binary units, as Node's defaults are (16 KiB, 64 KiB).
const STEPS = [
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

// The largest unit that keeps n at 1 or more: ['MiB', 1048576], or ['B', 1].
export function byteUnit(n) {
  const a = Math.abs(n);
  for (const step of STEPS) if (a >= step[1]) return step;
  return ['B', 1];
}

// Up to three significant digits past the unit, trailing zeros dropped: 1.5 MiB, 101 B.
function trim(x) {
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return String(+x.toFixed(digits));
}

// "101 B", "64 KiB", "10 GiB"; null/undefined as "–".
export function formatBytes(n) {
  if (n == null || !Number.isFinite(n)) return '–';
  const [name, size] = byteUnit(n);
  return `${trim(n / size)} ${name}`;
}

// A count with thousands separators: 163,840.
export function formatCount(n) {
  if (n == null || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

// An amount a stream holds, in the stream's unit ('bytes', 'objects' or 'bytes or objects').
export function formatAmount(n, unit = 'bytes') {
  if (unit === 'bytes') return formatBytes(n);
  if (n == null || !Number.isFinite(n)) return '–';
  return `${formatCount(n)} ${unit === 'objects' ? (n === 1 ? 'object' : 'objects') : 'bytes or objects'}`;
}

// Tick labels for a y axis of amounts: one unit for the whole axis (the largest tick's), so
// the ticks line up and never repeat. Counts (objects) are plain integers.
export function amountTicks(unit) {
  return (_u, splits) => {
    if (unit !== 'bytes') return splits.map((v) => (Number.isInteger(v) ? formatCount(v) : ''));
    const top = splits.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const [name, size] = byteUnit(top);
    return splits.map((v) => `${trim(v / size)} ${name}`);
  };
}

// Axis width that fits its longest tick label (about 7 px a character at the axis font),
// so digits are never clipped under the axis title.
export function axisSize(self, values, axisIdx, cycleNum) {
  const axis = self.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  const longest = (values ?? []).reduce((m, v) => Math.max(m, String(v ?? '').length), 0);
  return Math.max(40, Math.ceil(longest * 7.2) + (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + 8);
}

// Increments for integer axes (event numbers, milliseconds): ticks never fall between two
// integers, so no label repeats.
export const INTEGER_INCRS = (() => {
  const out = [];
  for (let p = 1; p <= 1e12; p *= 10) out.push(p, 2 * p, 5 * p);
  return out;
})();

// Increments for byte axes: powers of two and their 1.5 and 3 multiples in bytes, so ticks
// land on 16 KiB, 32 KiB, 48 KiB rather than 19.5 KiB.
export const BYTE_INCRS = (() => {
  const out = [];
  for (let p = 1; p <= 2 ** 44; p *= 2) out.push(p, p * 1.5);
  return out.filter((v) => Number.isInteger(v)).sort((a, b) => a - b);
})();
