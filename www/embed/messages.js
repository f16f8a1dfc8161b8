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
//     type 'challenge'         payload: { challenge, passed, reasons } a challenge was checked
//     type 'challenge-passed'  payload: { challenge, reasons }        …and passed
//     type 'error'             payload: { message }                   bad state; the default is shown
//   id: the ?id= the embedder gave (or null), to tell several iframes apart.
//
// From the host: { target: 'streamlab', type: 'run' | 'play' | 'pause' | 'step' | 'restart' }.
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
