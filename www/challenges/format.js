// Number formatting shared by the challenges. Binary units throughout, because the file and
// chunk sizes the learner types are binary (64 KiB chunks, a 1 GiB file).
export const KIB = 1024;
export const MIB = 1024 * 1024;
export const GIB = 1024 * 1024 * 1024;

// Up to `digits` decimals, trailing zeros dropped: 1.50 -> "1.5".
function trim(x, digits) {
  return String(+x.toFixed(digits));
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= GIB) return `${trim(n / GIB, 2)} GiB`;
  if (a >= MIB) return `${trim(n / MIB, 1)} MiB`;
  if (a >= KIB) return `${trim(n / KIB, 1)} KiB`;
  return `${Math.round(n)} bytes`;
}

export function formatRate(bytesPerSec) {
  return `${formatBytes(bytesPerSec)}/s`;
}

export function formatSeconds(ms) {
  if (ms >= 3600_000) return `${trim(ms / 3600_000, 1)} h`;
  if (ms >= 60_000) return `${trim(ms / 60_000, 1)} min`;
  if (ms >= 1000) return `${trim(ms / 1000, 1)} s`;
  return `${Math.round(ms)} ms`;
}

export function formatPercent(fraction) {
  return `${trim(fraction * 100, 1)}%`;
}

// Enough digits to tell sub-millisecond wall times apart.
export function formatMs(ms) {
  return ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}
