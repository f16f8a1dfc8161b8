// The state of an embedded lab as URL parameters, for embed.html's query and fragment, the
// <stream-lab> attributes and share links. Pure: strings in, checked values out. Every
// value is checked against a closed list or a strict pattern, so nothing read here can
// become markup, script or a URL to somewhere else; what fails a check is reported, not used.
//
//   scenario=NAME       a named scenario (www/scenarios/NAME.json)
//   s=BASE64URL         a whole scenario as base64url-encoded UTF-8 JSON (wins over scenario)
//   challenge=ID        a challenge instead of an experiment
//   controls=a,b,…      which controls show (CONTROLS below; "all" or "none")
//   mode=live|instant   play it event by event, or run it to the end at once
//   speed=ID            playback speed (the experiment's speed list)
//   x=event|time        the charts' x axis
//   at=N                stop after N trace events (a paused moment of a shared run)
//   height=LENGTH       the lab's height: 480, 480px, 30rem, 60vh
//   theme=light|dark|auto
//   origin=ORIGIN       (embed.html only) where to post messages, e.g. https://course.example
//   id=TEXT             (embed.html only) echoed in every message, to tell iframes apart
//   code=BASE64URL      a program, compressed as share links carry it (code/share-code.js):
//                       shown in the experiment's Code view, run only when the learner presses Run
export const VERSION = 1;
export const CONTROLS = [
  'params',
  'run',
  'play',
  'step',
  'restart',
  'speed',
  'axis',
  'output',
  'chart',
  'timeline',
  'share',
  'code',
];
export const MODES = ['live', 'instant'];
export const SPEEDS = ['slowest', 'slow', 'normal', 'fast', 'faster', 'instant'];
export const THEMES = ['light', 'dark', 'auto'];
export const CHALLENGE_IDS = ['large-file', 'throttle', 'narrow-transform', 'progress'];
export const DEFAULT_SCENARIO = 'seeing-backpressure';
const NAME = /^[a-z0-9][a-z0-9-]{0,79}$/;
const HEIGHT = /^(\d{2,4})(px|rem|em|vh)?$/;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_STATE = 64 * 1024; // characters of base64url: far more than any real scenario
const CODE = /^[A-Za-z0-9_-]{1,65536}$/; // the same limit as a share link's code

// base64url of UTF-8 text, and back (null when it is not valid base64url or UTF-8).
export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

// Reads the parameters from a URLSearchParams-like (get(name)). Returns
// { options, problems[] }: options holds only values that passed their check.
export function readParams(params) {
  const options = {};
  const problems = [];
  const get = (k) => {
    const v = params.get(k);
    return v === null ? null : String(v);
  };
  const bad = (k, why) => problems.push(`${k}: ${why}`);

  const s = get('s');
  if (s !== null) {
    const text = s.length > MAX_STATE ? null : fromBase64Url(s);
    const scenario = text === null ? { error: 'not a base64url-encoded scenario' } : parseScenarioText(text);
    if (scenario.error) bad('s', scenario.error);
    else options.scenario = scenario.value;
  }
  const name = get('scenario');
  if (name !== null && options.scenario === undefined) {
    if (NAME.test(name)) options.scenario = name;
    else bad('scenario', 'not a scenario name (lower-case letters, digits and dashes)');
  }
  const challenge = get('challenge');
  if (challenge !== null) {
    if (CHALLENGE_IDS.includes(challenge)) options.challenge = challenge;
    else bad('challenge', `one of ${CHALLENGE_IDS.join(', ')}`);
  }
  const controls = get('controls');
  if (controls !== null) {
    const r = readControls(controls);
    if (r.error) bad('controls', r.error);
    else options.controls = r.value;
  }
  const pick = (k, list) => {
    const v = get(k);
    if (v === null) return;
    if (list.includes(v)) options[k] = v;
    else bad(k, `one of ${list.join(', ')}`);
  };
  pick('mode', MODES);
  pick('speed', SPEEDS);
  pick('x', ['event', 'time']);
  pick('theme', THEMES);
  const at = get('at');
  if (at !== null) {
    if (/^\d{1,7}$/.test(at)) options.at = Number(at);
    else bad('at', 'a whole number of events');
  }
  const height = get('height');
  if (height !== null) {
    const r = readHeight(height);
    if (r.error) bad('height', r.error);
    else options.height = r.value;
  }
  const origin = get('origin');
  if (origin !== null) {
    const o = readOrigin(origin);
    if (o) options.origin = o;
    else bad('origin', 'an http(s) origin such as https://course.example');
  }
  // Only its shape is checked here: inflating it is asynchronous (lab.js does it, and says so
  // when it fails). It is never run on load.
  const code = get('code');
  if (code !== null) {
    if (CODE.test(code)) options.code = code;
    else bad('code', 'base64url text (A-Z a-z 0-9 - _), at most 65536 characters, as a share link carries it');
  }
  const id = get('id');
  if (id !== null) {
    if (ID.test(id)) options.id = id;
    else bad('id', 'letters, digits and _ . : - (at most 64)');
  }
  return { options, problems };
}

export function readControls(text) {
  const t = String(text).trim();
  if (t === 'all' || t === '') return { value: [...CONTROLS] };
  if (t === 'none') return { value: [] };
  const names = t.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !CONTROLS.includes(n));
  if (unknown.length)
    return {
      error: `unknown ${unknown
        .slice(0, 3)
        .map((n) => JSON.stringify(n.slice(0, 20)))
        .join(', ')}; known: ${CONTROLS.join(', ')}`,
    };
  return { value: CONTROLS.filter((c) => names.includes(c)) };
}

// A CSS length from a closed grammar: a bare number is pixels.
export function readHeight(text) {
  const m = HEIGHT.exec(String(text).trim());
  if (!m) return { error: 'a length such as 480, 480px, 30rem or 60vh' };
  return { value: `${m[1]}${m[2] ?? 'px'}` };
}

// The origin of an http(s) URL, or null. "*" and "null" are refused on purpose: messages
// go to one declared origin only.
export function readOrigin(text) {
  try {
    const u = new URL(String(text));
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (u.username || u.password) return null;
    return u.origin;
  } catch {
    return null;
  }
}

// JSON text -> { value } (a plain object that looks like a scenario) or { error }. The core
// checks the rest when it validates the scenario.
export function parseScenarioText(text) {
  if (typeof text !== 'string') return { error: 'not text' };
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON (${err.message.slice(0, 80)})` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'not a JSON object' };
  if (value.schema !== 'streamlab/scenario@1') return { error: 'its "schema" is not "streamlab/scenario@1"' };
  return { value };
}

// The fragment that reopens a lab: the whole scenario, and the view.
export function encodeState({ scenario, view = {} }) {
  const p = new URLSearchParams();
  p.set('v', String(VERSION));
  if (typeof scenario === 'string') p.set('scenario', scenario);
  else p.set('s', toBase64Url(JSON.stringify(scenario)));
  for (const k of ['challenge', 'mode', 'speed', 'x', 'theme', 'height']) {
    if (view[k] !== undefined && view[k] !== null) p.set(k, String(view[k]));
  }
  if (Array.isArray(view.controls) && view.controls.length !== CONTROLS.length)
    p.set('controls', view.controls.join(',') || 'none');
  if (Number.isInteger(view.at)) p.set('at', String(view.at));
  return p.toString();
}

// Query first, then the fragment on top of it (the fragment is the shared state).
export function readLocation(search, hash) {
  const merged = new URLSearchParams(search);
  const frag = new URLSearchParams(String(hash).replace(/^#/, ''));
  for (const [k, v] of frag) merged.set(k, v);
  return readParams(merged);
}
