// Challenge progress, kept in the browser's localStorage under one key so a reload (or
// another tab) sees what was passed, how many hints were shown and the last inputs.
// Storage may be unavailable (a sandboxed iframe, privacy settings): then progress lives
// for this page only, and nothing breaks.
//
// Every function takes an optional storage (anything with getItem/setItem, localStorage by
// default), so the logic runs in node with a stand-in.
export const KEY = 'streamlab-challenges';
export const EVENT = 'streamlab:challenge';
const VERSION = 1;
const MAX_FORM_VALUE = 1000; // characters of one saved form field
export const MAX_CODE_CHARS = 50_000; // characters of a stored passing program
const DIGEST = /^[0-9a-f]{64}$/; // SHA-256 of the run record, in hex
let memory = null; // fallback when storage throws

function empty() {
  return { version: VERSION, challenges: {} };
}

function isRecord(x) {
  return Boolean(x) && typeof x === 'object' && !Array.isArray(x);
}

// What Date#toISOString gives, and a real date.
function isIsoDate(x) {
  return (
    typeof x === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(x) &&
    !Number.isNaN(Date.parse(x))
  );
}

// The code step's stored pass: the program that passed and the digest of its run record.
// It claims nothing by itself: the page re-runs `source` and checks the new run before it
// shows the code step as passed. Kept only when every field is well formed.
export function saneCode(c) {
  if (!isRecord(c)) return null;
  if (typeof c.source !== 'string' || !c.source.trim() || c.source.length > MAX_CODE_CHARS) return null;
  if (typeof c.digest !== 'string' || !DIGEST.test(c.digest)) return null;
  const code = { source: c.source, digest: c.digest };
  if (isIsoDate(c.passedAt)) code.passedAt = c.passedAt;
  // The narrow step's answers: option ids only.
  if (isRecord(c.answers)) {
    const answers = Object.fromEntries(
      ['throughput', 'why']
        .filter((k) => Object.hasOwn(c.answers, k))
        .map((k) => [k, c.answers[k]])
        .filter(([, v]) => typeof v === 'string' && /^[a-z-]{1,40}$/.test(v)),
    );
    if (Object.keys(answers).length) code.answers = answers;
  }
  return code;
}

// One challenge's stored entry, keeping only the fields that are well formed: passed only
// when it is the boolean true (the string "false" is truthy, and must not read as passed),
// passedAt only with passed, hints a whole number >= 0, form fields only when strings,
// codeHints like hints, code as saneCode keeps it.
export function saneEntry(c) {
  if (!isRecord(c)) return null;
  const entry = {};
  if (c.passed === true) {
    entry.passed = true;
    if (isIsoDate(c.passedAt)) entry.passedAt = c.passedAt;
  }
  if (Number.isSafeInteger(c.hints) && c.hints >= 0) entry.hints = c.hints;
  if (Number.isSafeInteger(c.codeHints) && c.codeHints >= 0) entry.codeHints = c.codeHints;
  const code = saneCode(c.code);
  if (code) entry.code = code;
  if (isRecord(c.form)) {
    // fromEntries defines own properties: a "__proto__" key cannot change a prototype.
    entry.form = Object.fromEntries(
      Object.entries(c.form).filter(([, v]) => typeof v === 'string' && v.length <= MAX_FORM_VALUE),
    );
  }
  return entry;
}

// Whatever is stored is read defensively: it is data a script on this origin (or the person
// at the keyboard) could have changed. Malformed fields are dropped one by one; the rest stays.
export function sane(data) {
  if (!isRecord(data) || data.version !== VERSION || !isRecord(data.challenges)) return empty();
  const challenges = Object.fromEntries(
    Object.entries(data.challenges)
      .map(([id, c]) => [id, saneEntry(c)])
      .filter(([, c]) => c),
  );
  return { version: VERSION, challenges };
}

function storageOf(storage) {
  return storage ?? globalThis.localStorage;
}

export function load(storage) {
  try {
    const text = storageOf(storage).getItem(KEY);
    return sane(text ? JSON.parse(text) : null);
  } catch {
    return sane(memory);
  }
}

function save(data, storage) {
  memory = data;
  try {
    storageOf(storage).setItem(KEY, JSON.stringify(data));
  } catch {
    // kept in memory only
  }
}

function announce(id) {
  globalThis.document?.dispatchEvent(new CustomEvent(`${EVENT}-progress`, { detail: { id } }));
}

export function get(id, storage) {
  const challenges = load(storage).challenges;
  const c = Object.hasOwn(challenges, id) ? challenges[id] : null;
  return {
    passed: c?.passed === true,
    passedAt: c?.passedAt ?? null,
    hints: c?.hints ?? 0,
    form: c?.form ?? null,
  };
}

// The code step's stored state: { code: {source, digest, passedAt} | null, hints }.
export function getCode(id, storage) {
  const challenges = load(storage).challenges;
  const c = Object.hasOwn(challenges, id) ? challenges[id] : null;
  return { code: c?.code ?? null, hints: c?.codeHints ?? 0 };
}

export function update(id, changes, storage) {
  const data = load(storage);
  const before = Object.hasOwn(data.challenges, id) ? data.challenges[id] : {};
  data.challenges[id] = saneEntry({ ...before, ...changes });
  save(data, storage);
  announce(id);
  return get(id, storage);
}

export function markPassed(id, storage) {
  const was = get(id, storage);
  return update(id, { passed: true, passedAt: was.passedAt ?? new Date().toISOString() }, storage);
}

// The code steps this page has seen pass (a check, or the re-check of a stored program), by
// id. Kept in memory only: a stored program counts once this page has run it and it passed.
const codeVerified = new Map();

export function setCodeVerified(id, passed) {
  codeVerified.set(id, passed === true);
  announce(id);
}

// true (passed here), false (checked here and not passed), null (not checked on this page).
export function codeVerifiedOf(id) {
  return codeVerified.has(id) ? codeVerified.get(id) : null;
}

// The explore (form) step's Reset: its own fields go, the code step's stay.
export function clear(id, storage) {
  const data = load(storage);
  const c = Object.hasOwn(data.challenges, id) ? data.challenges[id] : null;
  delete data.challenges[id];
  if (c?.code || c?.codeHints) {
    data.challenges[id] = saneEntry({ code: c.code, codeHints: c.codeHints });
  }
  save(data, storage);
  announce(id);
}

// The code step's Reset: its stored program and hints go, the explore step's stay.
export function clearCode(id, storage) {
  const data = load(storage);
  const c = Object.hasOwn(data.challenges, id) ? data.challenges[id] : null;
  if (c) {
    delete c.code;
    delete c.codeHints;
  }
  save(data, storage);
  announce(id);
}
