// AbortController and AbortSignal with streams: addAbortSignal and the `signal` option of a
// stream's constructor destroy it with an AbortError (its cause: the signal's reason); the
// `signal` option of finished() and of events.once; AbortSignal.abort() and
// AbortSignal.timeout() on the clock.
import { Readable, Writable, addAbortSignal, finished } from "node:stream";
import { once } from "node:events";

const ac = new AbortController();
console.log("signal", ac.signal.aborted, ac.signal.reason, String(ac.signal));
ac.signal.addEventListener("abort", (e) => console.log("abort event", e.type, e.target === ac.signal));
ac.signal.onabort = () => console.log("onabort");

let n = 0;
const ticking = addAbortSignal(
  ac.signal,
  new Readable({
    read() {
      setTimeout(() => this.push(`tick ${++n}`), 2);
    },
  }),
);
ticking.on("data", (d) => console.log("data", d.toString(), performance.now()));
ticking.on("error", (err) => {
  console.log("error", err.name, err.code, err.message, err instanceof Error);
  console.log("cause", err.cause.name, err.cause.message, err.cause.code, err.cause instanceof Error);
});
ticking.on("close", () => console.log("close", ticking.destroyed, performance.now()));
setTimeout(() => {
  ac.abort();
  console.log("aborted", ac.signal.aborted, ac.signal.reason.name);
  ac.abort("twice");
  console.log("reason kept", ac.signal.reason.message);
}, 7);

// The constructor's signal option, with a reason of the program's.
const ac2 = new AbortController();
const sink = new Writable({
  signal: ac2.signal,
  write(chunk, _e, cb) {
    console.log("sink write", chunk.toString());
    setTimeout(cb, 5);
  },
});
finished(sink, (err) => console.log("sink finished", err?.name, err?.cause, performance.now()));
sink.write("one");
sink.write("two");
setTimeout(() => ac2.abort("user cancelled"), 3);

// A signal aborted before: the stream is destroyed in its constructor.
const early = new Readable({ read() {}, signal: AbortSignal.abort(new Error("too late")) });
console.log("early destroyed", early.destroyed);
early.on("error", (err) => console.log("early error", err.name, err.cause.message));

// finished() with a signal stops waiting.
const idle = new Readable({ read() {} });
const ac3 = new AbortController();
finished(idle, { signal: ac3.signal }, (err) => console.log("finished aborted", err.name, err.code, err.cause?.name));
setTimeout(() => ac3.abort(), 1);

// events.once with a signal.
const waiting = new Writable({ write: (c, e, cb) => cb() });
const ac4 = new AbortController();
setTimeout(() => ac4.abort(), 4);
try {
  await once(waiting, "drain", { signal: ac4.signal });
} catch (err) {
  console.log("once rejected", err.name, err.message, performance.now());
}

// AbortSignal.timeout on the virtual clock.
const t = AbortSignal.timeout(10);
t.addEventListener("abort", () => console.log("timeout", performance.now(), t.reason.name, t.reason.message, t.reason.code));
await new Promise((r) => setTimeout(r, 20));
try {
  t.throwIfAborted();
} catch (err) {
  console.log("throwIfAborted", err.name);
}
try {
  addAbortSignal("nope", idle);
} catch (err) {
  console.log(err.code, err.message);
}
try {
  addAbortSignal(ac.signal, {});
} catch (err) {
  console.log(err.code, err.message);
}
console.log(Object.prototype.toString.call(ac.signal), typeof AbortSignal.abort, new DOMException("m", "AbortError").code);
idle.destroy();
console.log(ac.signal, new AbortController(), [AbortSignal.abort("x")]);

// AbortSignal.any: the first of its signals to abort, with its reason.
const left = new AbortController();
const right = new AbortController();
const either = AbortSignal.any([left.signal, right.signal]);
either.addEventListener("abort", () => console.log("any aborted", either.reason));
right.abort("from right");
left.abort("from left");
console.log(either.reason, AbortSignal.any([AbortSignal.abort("before"), left.signal]).reason);
try {
  AbortSignal.any([1]);
} catch (err) {
  console.log(err.code, err.message);
}
for (const bad of ["a signal given as a rather long string", "it's", Object.create(null)]) {
  try {
    addAbortSignal(bad, idle);
  } catch (err) {
    console.log(err.message);
  }
}
