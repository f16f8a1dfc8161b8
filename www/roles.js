// One colour per stream role on every chart (source, transform, sink), taken from the
// theme's CSS variables, and kept apart from the marker colours. The palette is Okabe and
// Ito's, which stays distinct under the common colour-vision deficiencies.
export const ROLES = ['source', 'transform', 'sink'];

// The streams a program made (the code lab), by name: their roles come from their kinds.
const programRoles = new Map();
export function setRole(stream, role) {
  programRoles.set(stream, role);
}

// 'source', 't0', 't1', …, 'sink' (and 'loop' for a write loop, drawn as the sink's writer).
export function roleOf(stream) {
  const role = programRoles.get(stream);
  if (role) return role;
  if (stream === 'source') return 'source';
  if (/^t\d+$/.test(stream)) return 'transform';
  return 'sink';
}

// Transforms share a colour; each further one is told apart by its dash.
export function roleDash(stream) {
  const m = /^t(\d+)$/.exec(stream);
  if (!m) return undefined;
  const k = Number(m[1]);
  return k === 0
    ? undefined
    : [
        [8, 3],
        [2, 3],
        [8, 3, 2, 3],
      ][(k - 1) % 3];
}

export function rolePalette(el) {
  const css = getComputedStyle(el);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    axis: v('--fg-muted'),
    grid: v('--grid'),
    fg: v('--fg'),
    role: { source: v('--role-source'), transform: v('--role-transform'), sink: v('--role-sink') },
    markers: { writeFalse: v('--m-false'), pause: v('--m-pause'), resume: v('--m-resume'), drain: v('--m-drain') },
  };
}

export function streamColour(palette, stream) {
  return palette.role[roleOf(stream)];
}
