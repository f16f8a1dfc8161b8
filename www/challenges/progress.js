// Challenge progress, kept in the browser's localStorage under one key so a reload (or
// another tab) sees what was passed, how many hints were shown and the last inputs.
// Storage may be unavailable (a sandboxed iframe, privacy settings): then progress lives
// for this page only, and nothing breaks.
export const KEY = 'streamlab-challenges';
export const EVENT = 'streamlab:challenge';
const VERSION = 1;
let memory = null; // fallback when storage throws

function empty() {
  return { version: VERSION, challenges: {} };
}

// Whatever is stored is read defensively: it is data a script on this origin could have changed.
function sane(data) {
  if (!data || typeof data !== 'object' || data.version !== VERSION || typeof data.challenges !== 'object' || !data.challenges) return empty();
  return data;
}

export function load() {
  try {
    const text = localStorage.getItem(KEY);
    return sane(text ? JSON.parse(text) : null);
  } catch {
    return sane(memory);
  }
}

function save(data) {
  memory = data;
  try {
    localStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    // kept in memory only
  }
}

export function get(id) {
  const c = load().challenges[id];
  return {
    passed: Boolean(c?.passed),
    passedAt: typeof c?.passedAt === 'string' ? c.passedAt : null,
    hints: Number.isInteger(c?.hints) && c.hints >= 0 ? c.hints : 0,
    form: c?.form && typeof c.form === 'object' ? c.form : null,
  };
}

export function update(id, changes) {
  const data = load();
  const before = data.challenges[id] ?? {};
  data.challenges[id] = { ...before, ...changes };
  save(data);
  document.dispatchEvent(new CustomEvent(`${EVENT}-progress`, { detail: { id } }));
  return get(id);
}

export function markPassed(id) {
  const was = get(id);
  return update(id, { passed: true, passedAt: was.passedAt ?? new Date().toISOString() });
}

export function clear(id) {
  const data = load();
  delete data.challenges[id];
  save(data);
  document.dispatchEvent(new CustomEvent(`${EVENT}-progress`, { detail: { id } }));
}
