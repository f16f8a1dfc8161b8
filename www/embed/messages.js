// embed.html's messages to the page that embeds it, and the commands it accepts back.
// Both directions are tied to the one origin the embedder declared with ?origin=…:
// messages are posted with that origin as targetOrigin (the browser drops them if the
// parent is anything else), and a command is obeyed only when it comes from the parent
// window at that origin. No origin declared: nothing is posted and nothing is obeyed.
//
// To the host, every message is a plain object:
//   { source: 'streamlab', version: 1, type, id, ...payload }
//     type 'ready'             payload: { kind: 'experiment'|'challenge', scenario: NAME|null, challenge: ID|null }
//     type 'run'               payload: { summary, scenario }         a run finished
//     type 'challenge'         payload: { challenge, step, passed, reasons } a challenge was checked
//     type 'challenge-passed'  payload: { challenge, step, reasons }        …and passed
//       (step: 'explore' for the challenge's form, 'code' for its code step)
//     type 'error'             payload: { message }                   bad state; the default is shown
//   id: the ?id= the embedder gave (or null), to tell several iframes apart.
//
// From the host: { target: 'streamlab', type: 'run' | 'play' | 'pause' | 'step' | 'restart' }.
// Commands are coalesced (see coalesce below) and applied at most once per frame, so a host
// posting thousands of them costs the frame almost nothing.
export const SOURCE = 'streamlab';
export const VERSION = 1;
export const COMMANDS = ['run', 'play', 'pause', 'step', 'restart'];

export function message(type, id, payload = {}) {
  return { source: SOURCE, version: VERSION, type, id: id ?? null, ...payload };
}

// The command in a MessageEvent, or null when it must be ignored.
export function commandOf(event, { origin, parent }) {
  if (!origin || event.origin !== origin || event.source !== parent) return null;
  const d = event.data;
  if (!d || typeof d !== 'object' || d.target !== SOURCE || !COMMANDS.includes(d.type)) return null;
  return d.type;
}

// Posts to the declared origin only; returns whether anything was posted.
export function post(parent, origin, msg) {
  if (!origin || !parent || parent === window) return false;
  // JSON round trip: only plain data crosses, never an object with methods or DOM nodes.
  parent.postMessage(JSON.parse(JSON.stringify(msg)), origin);
  return true;
}

// Collects commands and applies them once per `schedule`d turn (an animation frame): a
// restart resets everything before it, so only the last restart is kept (and applied
// first); of the commands after it the latest wins, except that steps in a row add up
// (to at most maxSteps). apply(name, count) is called with count > 1 for steps only.
// Returns push(name).
export function coalesce(apply, schedule, { maxSteps = 5000 } = {}) {
  let restart = false;
  let last = null; // { name, count } after the last restart
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const r = restart;
    const l = last;
    restart = false;
    last = null;
    if (r) apply('restart', 1);
    if (l) apply(l.name, l.count);
  };
  return (name) => {
    if (name === 'restart') {
      restart = true;
      last = null;
    } else if (name === 'step' && last?.name === 'step') {
      last.count = Math.min(last.count + 1, maxSteps);
    } else {
      last = { name, count: 1 };
    }
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
}

// The next animation frame, or a short timer if none comes (Chromium runs no frames in a
// cross-origin iframe that is out of view): whichever is first, once.
export function nextTurn(fn, fallbackMs = 100) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    fn();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, fallbackMs);
}
