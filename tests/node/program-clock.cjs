// Preloaded into real Node 20 (`node --require ./program-clock.cjs PROGRAM`; not --import, which
// would run a CommonJS main module through the ESM loader and change its tick order) by the program
// oracle: the program's timers and immediates run on a virtual clock with the model Streamlab's
// core uses (crate/src/user_code.rs `run_program_turn`, crate/src/event_loop.rs), so that runs are
// exactly comparable and repeatable. Everything else is real Node: process.nextTick, promises,
// queueMicrotask, console, events, errors, ESM/CommonJS.
//
// Each virtual callback runs in its own real macrotask (a real setImmediate), so Node itself
// runs processTicksAndRejections after it, exactly as it does after a timer or an immediate.
// The timers follow Node's lib/internal/timers.js: one list per duration, the list with the
// smallest (expiry, id) first, a list re-armed with a fresh id when its head is not due, an
// emptied list deleted; intervals re-inserted right after their callback. (That list algorithm
// in the core, crate/src/event_loop.rs, is itself checked against Node's own timer code by the
// scenario oracle, tests/node/oracle.cjs, which drives internal/timers with a virtual clock.
// Programs cannot use that trick: their immediates and their main module belong to the real
// loop, so this file ports the algorithm and keeps everything else real.)
// Virtual time: synchronous code takes none; each loop turn takes 1 ms, and a turn with no
// immediate waiting jumps to the next timer.
const { syncBuiltinESMExports } = require('node:module');
const timers = require('node:timers');
const timersPromises = require('node:timers/promises');
const realSetImmediate = globalThis.setImmediate;
const EPOCH_MS = 1_767_225_600_000;

let now = 0;
let nextListId = 1;
const lists = [];
let immediates = [];
let pumping = false;

function duration(delay) {
  const d = Number(delay);
  return d >= 1 && d <= 2_147_483_647 ? Math.trunc(d) : 1;
}
function checkCallback(cb) {
  if (typeof cb !== 'function') {
    // Let Node throw its own ERR_INVALID_ARG_TYPE.
    timers.setTimeout.original(cb);
  }
}

class Timeout {
  constructor(cb, args, ms, repeat) {
    this._onTimeout = cb;
    this._args = args;
    this._ms = ms;
    this._repeat = repeat;
    this._start = 0;
    this._cleared = false;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  hasRef() {
    return true;
  }
  close() {
    clearTimer(this);
    return this;
  }
}
class Immediate {
  constructor(cb, args) {
    this._onImmediate = cb;
    this._args = args;
    this._cleared = false;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  hasRef() {
    return true;
  }
}

function insert(t) {
  t._start = now;
  let list = lists.find((l) => l.duration === t._ms);
  if (!list) {
    list = { duration: t._ms, expiry: now + t._ms, id: nextListId++, timers: [] };
    lists.push(list);
  }
  list.timers.push(t);
  pump();
}
function firstList() {
  let best = null;
  for (const l of lists) {
    if (best === null || l.expiry < best.expiry || (l.expiry === best.expiry && l.id < best.id)) best = l;
  }
  return best;
}
function rearm(list, start) {
  list.expiry = Math.max(start + list.duration, now + 1);
  list.id = nextListId++;
}
function nextDue() {
  for (;;) {
    const list = firstList();
    if (!list || list.expiry > now) return null;
    const head = list.timers[0];
    if (!head) lists.splice(lists.indexOf(list), 1);
    else if (now - head._start < list.duration) rearm(list, head._start);
    else return { list, timer: list.timers.shift() };
  }
}
function settle(ms) {
  const i = lists.findIndex((l) => l.duration === ms);
  if (i < 0) return;
  const list = lists[i];
  const head = list.timers[0];
  if (!head) lists.splice(i, 1);
  else if (now - head._start < list.duration) rearm(list, head._start);
}
function clearTimer(t) {
  if (!(t instanceof Timeout)) return;
  t._cleared = true;
  const i = lists.findIndex((l) => l.timers.includes(t));
  if (i < 0) return;
  const list = lists[i];
  list.timers.splice(list.timers.indexOf(t), 1);
  if (list.timers.length === 0) lists.splice(i, 1);
}

// The loop, one virtual callback per step.
function* turns() {
  for (;;) {
    if (immediates.length > 0) now += 1;
    else {
      const l = firstList();
      if (!l) return;
      now = Math.max(l.expiry, now + 1);
    }
    for (;;) {
      const due = nextDue();
      if (!due) break;
      yield () => {
        const t = due.timer;
        try {
          t._onTimeout(...t._args);
        } finally {
          if (t._repeat && !t._cleared) insert(t);
          settle(due.list.duration);
        }
      };
    }
    const batch = immediates;
    immediates = [];
    for (const im of batch) {
      if (!im._cleared) yield () => im._onImmediate(...im._args);
    }
  }
}
let loop = null;
function pump() {
  if (pumping) return;
  pumping = true;
  loop = turns();
  realSetImmediate(function step() {
    const r = loop.next();
    if (r.done) {
      pumping = false;
      return;
    }
    realSetImmediate(step);
    r.value();
  });
}

function setTimeoutV(cb, delay, ...args) {
  checkCallback(cb);
  const t = new Timeout(cb, args, duration(delay), false);
  insert(t);
  return t;
}
function setIntervalV(cb, delay, ...args) {
  checkCallback(cb);
  const t = new Timeout(cb, args, duration(delay), true);
  insert(t);
  return t;
}
function setImmediateV(cb, ...args) {
  checkCallback(cb);
  const im = new Immediate(cb, args);
  immediates.push(im);
  pump();
  return im;
}
function clearImmediateV(im) {
  if (!(im instanceof Immediate)) return;
  im._cleared = true;
  const i = immediates.indexOf(im);
  if (i >= 0) immediates.splice(i, 1);
}

setTimeoutV.original = timers.setTimeout;
const patch = {
  setTimeout: setTimeoutV,
  setInterval: setIntervalV,
  setImmediate: setImmediateV,
  clearTimeout: clearTimer,
  clearInterval: clearTimer,
  clearImmediate: clearImmediateV,
};
for (const [name, fn] of Object.entries(patch)) {
  globalThis[name] = fn;
  timers[name] = fn;
}
timersPromises.setTimeout = (delay, value) => new Promise((resolve) => setTimeoutV(() => resolve(value), delay));
timersPromises.setImmediate = (value) => new Promise((resolve) => setImmediateV(() => resolve(value)));
timersPromises.scheduler = {
  wait: (delay) => new Promise((resolve) => setTimeoutV(resolve, delay)),
  yield: () => new Promise((resolve) => setImmediateV(resolve)),
};
syncBuiltinESMExports();

Date.now = () => EPOCH_MS + now;
const RealDate = Date;
class VirtualDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(EPOCH_MS + now);
    else super(...args);
  }
}
// Node's inspect prints the constructor's name before a Date that is not a `Date`.
Object.defineProperty(VirtualDate, 'name', { value: 'Date' });
globalThis.Date = VirtualDate;
globalThis.Date.now = () => EPOCH_MS + now;
performance.now = () => now;

// The virtual time, for program-trace.cjs (preloaded after this file, it gets this module).
module.exports = { now: () => now };
