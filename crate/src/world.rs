//! The world: one value that owns everything a run needs (the event loop, the streams, the
//! pipes and pipeline, the scenario's behaviours and the recorder).
//!
//! Node's streams are callbacks calling callbacks on one stack. Here every operation is a
//! method taking `&mut World` and ids, so Node's re-entrancy is ordinary recursion, and every
//! closure Node would keep (a listener, a queued tick, a timer) is a value of an enum below,
//! dispatched by a `match`. The state is plain data: a world can be cloned at any point.

use crate::behaviour::Behaviours;
use crate::event_loop::EventLoop;
use crate::readable::ReadableState;
use crate::scenario::Scenario;
use crate::trace::{Ev, Origin, Recorder, TraceEvent};
use crate::user_code::UserFn;
use crate::writable::WritableState;

pub type StreamId = usize;
pub type ErrId = u32;
pub type PipeId = usize;
pub type EosId = usize;
pub type PairId = usize;

/// What a chunk is, for the purpose of counting it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkKind {
    /// A Buffer (what a byte-mode stream turns strings into).
    Buffer,
    /// A JavaScript string; its length is its UTF-8 byte count once a byte stream takes it.
    Text,
    /// A plain object `{id, data}`.
    Object,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub kind: ChunkKind,
    pub bytes: u64,
    /// The program's value for this chunk, by the id its engine gave it (0: none, a
    /// scenario's chunk). The core counts `bytes`; the engine keeps the value.
    pub payload: u32,
}

impl Chunk {
    /// A chunk with no program value behind it (a scenario's).
    pub fn new(kind: ChunkKind, bytes: u64) -> Chunk {
        Chunk { kind, bytes, payload: 0 }
    }
}

/// An error as Node reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeError {
    pub code: Option<String>,
    pub message: String,
}

/// The events streams emit (only those something listens to or the trace records).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Data,
    End,
    Finish,
    Close,
    Error,
    Drain,
    Pause,
    Resume,
    Prefinish,
    Unpipe,
    Readable,
}

/// What an emission carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    None,
    /// An explicit `null`: Node calls a write's callback `cb(null)` and `end()`'s with `null`.
    Null,
    Chunk(Chunk),
    Error(ErrId),
    /// 'unpipe' carries the source that unpiped.
    Source(StreamId),
}

/// Every listener a run registers, as data. Registration order is kept per stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listener {
    /// The runner's own 'error' listener (a program that handles errors).
    RunnerError,
    /// Transform's constructor listens to its own 'prefinish' (a no-op unless `_final` is
    /// replaced), which still takes a place in the listener list.
    TransformPrefinish,
    PipeOnData(PipeId),
    PipeOnEnd(PipeId),
    PipeOnUnpipe(PipeId),
    PipeOnError(PipeId),
    PipeOnClose(PipeId),
    PipeOnFinish(PipeId),
    PipeOnDrain(PipeId),
    EosOnEnd(EosId),
    EosOnFinish(EosId),
    EosOnError(EosId),
    EosOnClose(EosId),
    /// pipeline's `destroyer()`: 'close' marks the stream finished.
    DestroyerOnClose(crate::pipeline::PipelineId, StreamId),
    /// pipeline's late-error catcher on every stream.
    PipelineOnError(crate::pipeline::PipelineId),
    /// pipeline's pipe(): the destination closed before the source ended.
    PairDstClose(PairId),
    /// pipeline's pipe(): the source ended, end the destination.
    PairEndFn(PairId),
    /// pipeline's pipe(): a premature close of an ended source waits for 'end' or 'error'.
    PairFinish(PairId),
    /// `events.once(sink, 'drain')` in the write loop, and its 'error' twin.
    LoopDrainResolve,
    LoopDrainReject,
    /// `events.once(sink, 'finish')` after the write loop's `end()`, and its 'error' twin.
    LoopFinishResolve,
    LoopFinishReject,
    /// A listener of the program's (`stream.on(event, f)`).
    User(UserFn),
}

#[derive(Clone, Copy, Debug)]
pub struct Registered {
    pub listener: Listener,
    pub once: bool,
}

/// How often (in events) a run looks at the wall clock.
pub const DEADLINE_CHECK_EVERY: u64 = 1 << 16;

/// How many kinds of [`Event`] there are: each has its own listener list.
pub const EVENT_KINDS: usize = 11;

/// A stream's listeners, one list per event, each in registration order.
pub type Listeners = [Vec<Registered>; EVENT_KINDS];

/// `process.nextTick` callbacks.
#[derive(Clone, Copy, Debug)]
pub enum Tick {
    ResumeNT(StreamId),
    EmitReadableNT(StreamId),
    MaybeReadMoreNT(StreamId),
    EndReadableNT(StreamId),
    /// `afterWrite(stream, state, 1, nop)` from a synchronous write callback.
    AfterWrite(StreamId),
    /// `afterWriteTick(state.afterWriteTickInfo)`: a write callback of the program's, `count` times.
    AfterWriteTick(StreamId),
    /// finishMaybe's deferred check.
    FinishCheck(StreamId),
    /// `_final`'s callback queued `finish`.
    Finish(StreamId),
    EmitCloseNT(StreamId),
    EmitErrorCloseNT(StreamId, ErrId),
    EmitErrorNT(StreamId, ErrId),
    OnWriteError(StreamId, ErrId, Option<UserFn>),
    /// Duplex with `allowHalfOpen: false`: the readable side ended, so end the writable side.
    EndWritableNT(StreamId),
    /// `process.nextTick(f, arg)` of a program's function (a write callback with its error…).
    Call(UserFn, Arg),
    ErrorBuffer(StreamId),
    /// Transform: `process.nextTick(callback)` after its readable side ended.
    TransformCallback(StreamId),
    /// pipe(): the source had already emitted 'end'.
    PipeEndFn(PipeId),
    PairEndFn(PairId),
    /// pipeline's callback.
    PipelineCallback(crate::pipeline::PipelineId),
    /// `nReadingNextTick`: a 'readable' listener on an empty stream starts a read.
    NReadingNextTick(StreamId),
    /// After a 'readable' listener is removed: who still listens decides the flowing mode.
    UpdateReadableListening(StreamId),
    /// eos on a stream already closed: its `onclose`.
    EosClose(EosId),
    /// eos on a stream already done or errored: its `onclosed`.
    EosClosed(EosId),
    /// The user's `process.nextTick(fn)`: an id in the user code's own table.
    User(u32),
}

/// Promise reactions.
#[derive(Clone, Copy, Debug)]
pub enum Microtask {
    /// The pipeline promise settles (resolve or reject).
    PipelineSettle(crate::pipeline::PipelineId),
    /// The write loop's `await once(sink, 'drain')` returns: record `wake`, go on. `once()` is
    /// an async function returning a promise, so its result reaches the `await` one reaction
    /// later: the count is the reactions still to go.
    WakeWriteLoop(u8),
    /// The write loop's `await` settled without a `wake` (a rejection, or 'finish'): poll it.
    PollWriteLoop(u8),
    /// A promise reaction of the program's (`queueMicrotask(f)`, `.then(f)`).
    Call(UserFn, Arg),
    /// A promise job or `queueMicrotask(fn)` of the user's code (the engine's own id).
    User(u32),
}

/// Timer callbacks the scenario's user code sets.
#[derive(Clone, Copy, Debug)]
pub enum TimerCb {
    /// The source's `setTimeout(push, readDelayMs)`.
    SourcePush(StreamId),
    /// A transform's `setTimeout(() => callback(null, chunk), delay)`.
    TransformDone(StreamId, Chunk),
    /// The sink's `setTimeout(cb, delayMs)`, with the error of a failing write.
    SinkDone(StreamId, Option<ErrId>),
    /// The user's `setTimeout`/`setInterval`/`setImmediate` callback.
    User(u32),
}

/// A stream: a readable half, a writable half, or both (a Transform).
#[derive(Clone, Debug)]
pub struct Stream {
    pub name: String,
    pub r: Option<ReadableState>,
    pub w: Option<WritableState>,
    pub transform: Option<crate::transform::TransformState>,
    pub listeners: Listeners,
    /// Duplex's `allowHalfOpen` (true unless the options say false).
    pub allow_half_open: bool,
    /// Which of the scenario's behaviours runs this stream's user code (its transform index).
    pub behaviour: usize,
    /// The program's own `_read` / `_write` / `_transform` (the code lab), called instead of a
    /// scenario behaviour.
    pub program: Option<ProgramImpl>,
}

/// A stream made by a program: its implementation functions, by the ids its engine gave them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgramImpl {
    pub read: Option<UserFn>,
    pub write: Option<UserFn>,
    pub transform: Option<UserFn>,
    /// `_final`, `_flush` and `_destroy`, when the program has its own (Node's defaults else).
    pub final_: Option<UserFn>,
    pub flush: Option<UserFn>,
    pub destroy: Option<UserFn>,
    /// The program replaced the stream's `write` method: pipe calls it as Node's pipe calls
    /// `dest.write(chunk)`.
    pub write_method: Option<UserFn>,
    /// `_writev(chunks, callback)`: clearBuffer hands it every buffered write at once.
    pub writev: Option<UserFn>,
}

impl Stream {
    pub fn new(name: String, r: Option<ReadableState>, w: Option<WritableState>) -> Stream {
        Stream {
            name,
            r,
            w,
            transform: None,
            listeners: Default::default(),
            allow_half_open: true,
            behaviour: 0,
            program: None,
        }
    }

    /// readableLength + writableLength.
    pub fn buffered(&self) -> u64 {
        self.r.as_ref().map_or(0, |r| r.length) + self.w.as_ref().map_or(0, |w| w.length)
    }
}

/// Why a run stopped before its natural end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Halt {
    /// An exception escaped a callback: the process would die here.
    Uncaught(ErrId),
    /// The run passed the runner's event budget.
    Budget(String),
}

#[derive(Debug)]
pub struct World {
    pub el: EventLoop<TimerCb, Tick, Microtask>,
    pub streams: Vec<Stream>,
    pub pipes: Vec<crate::pipe::Pipe>,
    pub eos: Vec<crate::eos::Eos>,
    pub pipelines: Vec<crate::pipeline::Pipeline>,
    /// The callbacks of each `_writev` call (clearBuffer's closure over the buffered writes'
    /// callbacks), by `UserFn(WRITEV_CALLBACKS + index)`.
    pub writev_callbacks: Vec<Vec<UserFn>>,
    /// Every pipeline's piped pairs (ids in listeners and ticks).
    pub pairs: Vec<crate::pipeline::Pair>,
    pub write_loop: Option<crate::write_loop::WriteLoopState>,
    pub errors: Vec<NodeError>,
    pub behaviours: Behaviours,
    pub rec: Recorder,
    /// The first 'error' emitted (pipe and write loop report it).
    pub first_error: Option<ErrId>,
    pub halted: Option<Halt>,
    pub source: Option<StreamId>,
    pub sink: StreamId,
    pub event_budget: u64,
    /// The Node.js major version being modelled (20 or 22).
    pub node: u8,
    /// A wall-clock budget for runs whose memory stays flat (trace off): checked every
    /// [`DEADLINE_CHECK_EVERY`] events, so the count stays the only thing a result depends on.
    pub deadline: Option<crate::sim::Deadline>,
    /// Reused by emit() so that emitting allocates nothing.
    emit_stack: Vec<(Listener, bool)>,
    /// The user's program, when one runs (the code lab): called for the `User` variants.
    pub user: Option<crate::user_code::UserCodeRef>,
    /// The stream whose 'error' had no listener (what the uncaught error report names).
    pub uncaught_on: Option<StreamId>,
    /// The most trace events kept (a program's run keeps its first ones), and whether more
    /// happened than were kept.
    pub trace_cap: usize,
    pub trace_truncated: bool,
}

impl World {
    pub fn new(scenario: &Scenario, keep_trace: bool) -> World {
        let mut world = World::empty(Behaviours::new(scenario), scenario.node, keep_trace);
        crate::sim::build_streams(&mut world, scenario);
        world
    }

    /// A world with no streams for a user's program (the code lab), which calls `user`.
    pub fn for_program(user: crate::user_code::UserCodeRef) -> World {
        World::for_program_on(user, 20)
    }

    /// The same, modelling Node `node` (20 or 22).
    pub fn for_program_on(user: crate::user_code::UserCodeRef, node: u8) -> World {
        let behaviours = Behaviours { sources: Vec::new(), transforms: Vec::new(), sinks: Vec::new() };
        let mut world = World::empty(behaviours, node, false);
        world.event_budget = crate::sim::EVENT_BUDGET_UNTRACED;
        world.user = Some(user);
        // A program has no one sink: the scenario counters that watch "the sink" watch nothing.
        world.sink = usize::MAX;
        world
    }

    /// A world with nothing in it yet: no streams, no queued work, the clock at 0.
    fn empty(behaviours: Behaviours, node: u8, keep_trace: bool) -> World {
        World {
            el: EventLoop::new(),
            streams: Vec::new(),
            pipes: Vec::new(),
            eos: Vec::new(),
            pipelines: Vec::new(),
            writev_callbacks: Vec::new(),
            pairs: Vec::new(),
            write_loop: None,
            errors: Vec::new(),
            behaviours,
            rec: Recorder::new(keep_trace),
            first_error: None,
            halted: None,
            source: None,
            sink: 0,
            event_budget: crate::sim::EVENT_BUDGET,
            node,
            deadline: None,
            emit_stack: Vec::new(),
            user: None,
            uncaught_on: None,
            trace_cap: usize::MAX,
            trace_truncated: false,
        }
    }

    // ---- small accessors -----------------------------------------------------------------

    #[inline(always)]
    pub fn r(&self, s: StreamId) -> &ReadableState {
        self.streams[s].r.as_ref().expect("stream has a readable side")
    }
    #[inline(always)]
    pub fn rm(&mut self, s: StreamId) -> &mut ReadableState {
        self.streams[s].r.as_mut().expect("stream has a readable side")
    }
    #[inline(always)]
    pub fn w(&self, s: StreamId) -> &WritableState {
        self.streams[s].w.as_ref().expect("stream has a writable side")
    }
    #[inline(always)]
    pub fn wm(&mut self, s: StreamId) -> &mut WritableState {
        self.streams[s].w.as_mut().expect("stream has a writable side")
    }
    #[inline(always)]
    pub fn now(&self) -> u64 {
        self.el.now()
    }
    #[inline(always)]
    pub fn is_halted(&self) -> bool {
        self.halted.is_some()
    }

    #[cold]
    #[inline(never)]
    pub fn new_error(&mut self, code: Option<&str>, message: String) -> ErrId {
        self.errors.push(NodeError { code: code.map(str::to_string), message });
        (self.errors.len() - 1) as ErrId
    }

    pub fn next_tick(&mut self, tick: Tick) {
        self.el.ticks.push_back(tick);
    }

    pub fn queue_microtask(&mut self, m: Microtask) {
        self.el.microtasks.push_back(m);
    }

    /// Buffered amount of a stream: readableLength + writableLength.
    pub fn buffered(&self, s: StreamId) -> u64 {
        self.streams[s].buffered()
    }

    /// A stream's readableLength or writableLength grew by `by`: keep the recorder's running
    /// amounts (each stream's, and the total) in step. Every change of either length goes
    /// through this or [`World::buffered_shrank`].
    #[inline(always)]
    pub fn buffered_grew(&mut self, s: StreamId, by: u64) {
        self.rec.change_buffered(s, by, true);
        debug_assert_eq!(self.rec.buffered.get(s).copied(), Some(self.streams[s].buffered()));
    }

    /// A stream's readableLength or writableLength shrank by `by`.
    #[inline(always)]
    pub fn buffered_shrank(&mut self, s: StreamId, by: u64) {
        self.rec.change_buffered(s, by, false);
        debug_assert_eq!(self.rec.buffered.get(s).copied(), Some(self.streams[s].buffered()));
    }

    // ---- the recorder ----------------------------------------------------------------------

    /// Records one trace event (unless the run has halted) and updates the counters that are
    /// taken "at every trace event".
    #[inline(always)]
    pub fn record(&mut self, ev: Ev, origin: Origin, len: u64, length: u64, ret: bool) {
        self.record_full(ev, origin, len, length, ret, false, 0);
    }

    /// Inlined where an event happens: with the trace off, an event is a count and a maximum;
    /// keeping the event and the rare checks (deadline, budget) are out of line.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub fn record_full(&mut self, ev: Ev, origin: Origin, len: u64, length: u64, ret: bool, eof: bool, error: u32) {
        if self.halted.is_some() {
            return;
        }
        self.rec.event_count += 1;
        let total = self.rec.total_buffered;
        let c = &mut self.rec.counters;
        if total > c.max_buffered_bytes {
            c.max_buffered_bytes = total;
        }
        let n = self.rec.event_count;
        if self.rec.keep_trace || n.is_multiple_of(DEADLINE_CHECK_EVERY) || n > self.event_budget {
            self.record_slow(TraceEvent { t: self.now(), ev, origin, len, length, ret, eof, error });
        }
    }

    /// [`World::record_full`]'s rare part: keeps the event when the trace is on, looks at the
    /// wall clock every [`DEADLINE_CHECK_EVERY`] events, stops the run past its budget.
    #[cold]
    #[inline(never)]
    fn record_slow(&mut self, event: TraceEvent) {
        if self.rec.keep_trace {
            if self.rec.events.len() >= self.trace_cap {
                // A program's trace keeps its beginning; the counters still see everything.
                self.rec.keep_trace = false;
                self.trace_truncated = true;
            } else {
                self.rec.events.push(event);
                self.rec.log_buffered();
            }
        }
        if self.rec.event_count.is_multiple_of(DEADLINE_CHECK_EVERY) {
            if let Some(msg) = self.deadline.as_ref().and_then(|d| d.passed(self.rec.event_count)) {
                self.halted = Some(Halt::Budget(msg));
                return;
            }
        }
        // The budget itself is allowed: only the event that passes it stops the run.
        if self.rec.event_count > self.event_budget {
            self.halted = Some(Halt::Budget(format!(
                "stopped after {} events: past the runner's event budget of {} (the scenario is valid, but too long to simulate here)",
                self.rec.event_count, self.event_budget
            )));
        }
    }

    // ---- EventEmitter ----------------------------------------------------------------------

    pub fn on(&mut self, s: StreamId, event: Event, listener: Listener) {
        self.streams[s].listeners[event as usize].push(Registered { listener, once: false });
        self.after_add_listener(s, event);
    }

    pub fn once(&mut self, s: StreamId, event: Event, listener: Listener) {
        self.streams[s].listeners[event as usize].push(Registered { listener, once: true });
        self.after_add_listener(s, event);
    }

    pub fn prepend_listener(&mut self, s: StreamId, event: Event, listener: Listener) {
        self.streams[s].listeners[event as usize].insert(0, Registered { listener, once: false });
    }

    /// Readable.prototype.on: a 'data' listener starts the flow unless paused on purpose; a
    /// 'readable' listener switches the stream to paused mode and asks for data.
    fn after_add_listener(&mut self, s: StreamId, event: Event) {
        if self.streams[s].r.is_none() {
            return;
        }
        match event {
            Event::Data => {
                let readable_listeners = self.listener_count(s, Event::Readable) > 0;
                let r = self.rm(s);
                r.data_listening = true;
                r.readable_listening |= readable_listeners;
                if r.flowing != Some(false) {
                    self.resume(s);
                }
            }
            Event::Readable => self.on_readable_listener(s),
            _ => {}
        }
    }

    pub fn remove_listener(&mut self, s: StreamId, event: Event, listener: Listener) {
        let list = &mut self.streams[s].listeners[event as usize];
        // EventEmitter removes the most recently added match.
        if let Some(i) = list.iter().rposition(|r| r.listener == listener) {
            list.remove(i);
        }
        if event == Event::Data && self.streams[s].r.is_some() && self.listener_count(s, Event::Data) == 0 {
            self.rm(s).data_listening = false;
        }
        if event == Event::Readable && self.streams[s].r.is_some() {
            self.next_tick(Tick::UpdateReadableListening(s));
        }
    }

    pub fn listener_count(&self, s: StreamId, event: Event) -> usize {
        self.streams[s].listeners[event as usize].len()
    }

    /// Emits an event: records it if the trace knows it, then runs the listeners registered at
    /// this moment, in order (a listener removed meanwhile still runs; one added does not).
    pub fn emit(&mut self, s: StreamId, event: Event, arg: Arg) {
        let traced = match event {
            Event::Drain => Some(Ev::Drain),
            Event::Pause => Some(Ev::Pause),
            Event::Resume => Some(Ev::Resume),
            Event::End => Some(Ev::End),
            Event::Finish => Some(Ev::Finish),
            Event::Close => Some(Ev::Close),
            Event::Error => Some(Ev::Error),
            _ => None,
        };
        if let Some(ev) = traced {
            let err = if let Arg::Error(e) = arg { e } else { 0 };
            self.record_full(ev, Origin::Stream(s), 0, 0, false, false, err);
            if ev == Ev::Drain && s == self.sink && self.halted.is_none() {
                self.rec.counters.drain_events += 1;
            }
            if let (Ev::Error, Arg::Error(e)) = (ev, arg) {
                if self.first_error.is_none() {
                    self.first_error = Some(e);
                }
            }
        }
        // 'error' with nobody listening throws from emit().
        if let (Event::Error, Arg::Error(e)) = (event, arg) {
            if self.streams[s].listeners[event as usize].is_empty() {
                if self.halted.is_none() {
                    self.uncaught_on = Some(s);
                }
                self.throw_uncaught(e);
                return;
            }
        }
        // Most emissions have one listener or none: no copy of the list is needed for them.
        let list = &self.streams[s].listeners[event as usize];
        match list.len() {
            0 => return,
            1 => {
                let Registered { listener, once } = list[0];
                if self.halted.is_none() {
                    self.call_registered(s, event, listener, once, arg);
                }
                return;
            }
            _ => {}
        }
        let base = self.emit_stack.len();
        for r in &self.streams[s].listeners[event as usize] {
            self.emit_stack.push((r.listener, r.once));
        }
        let end = self.emit_stack.len();
        for i in base..end {
            if self.halted.is_some() {
                break;
            }
            let (l, once) = self.emit_stack[i];
            self.call_registered(s, event, l, once, arg);
        }
        self.emit_stack.truncate(base);
    }

    /// Calls one listener of `event` as emit() found it registered.
    #[inline(always)]
    fn call_registered(&mut self, s: StreamId, event: Event, l: Listener, once: bool, arg: Arg) {
        // A `once` listener takes itself off the list when it is called.
        if once {
            let list = &mut self.streams[s].listeners[event as usize];
            if let Some(p) = list.iter().position(|r| r.listener == l && r.once) {
                list.remove(p);
            }
            // once()'s wrapper goes through Readable.prototype.removeListener.
            if event == Event::Readable && self.streams[s].r.is_some() {
                self.next_tick(Tick::UpdateReadableListening(s));
            }
        }
        self.call_listener(s, l, arg);
    }

    /// `emit('data', chunk)`, inlined where a chunk is handed out: 'data' is not traced and
    /// cannot throw, and its usual one listener is pipe's `ondata`, called directly.
    #[inline(always)]
    pub fn emit_data(&mut self, s: StreamId, chunk: Chunk) {
        let list = &self.streams[s].listeners[Event::Data as usize];
        if let [Registered { listener: Listener::PipeOnData(p), once: false }] = list[..] {
            if self.halted.is_none() {
                self.pipe_ondata(p, chunk);
            }
            return;
        }
        self.emit(s, Event::Data, Arg::Chunk(chunk));
    }

    fn call_listener(&mut self, s: StreamId, l: Listener, arg: Arg) {
        match l {
            Listener::RunnerError => {}
            Listener::TransformPrefinish => self.transform_prefinish(s),
            Listener::PipeOnData(p) => {
                if let Arg::Chunk(c) = arg {
                    self.pipe_ondata(p, c)
                }
            }
            Listener::PipeOnEnd(p) => self.pipe_onend(p),
            Listener::PipeOnUnpipe(p) => {
                if let Arg::Source(src) = arg {
                    self.pipe_onunpipe(p, src)
                }
            }
            Listener::PipeOnError(p) => {
                if let Arg::Error(e) = arg {
                    self.pipe_onerror(p, e)
                }
            }
            Listener::PipeOnClose(p) => self.pipe_onclose(p),
            Listener::PipeOnFinish(p) => self.pipe_onfinish(p),
            Listener::PipeOnDrain(p) => self.pipe_ondrain(p),
            Listener::EosOnEnd(e) => self.eos_onend(e),
            Listener::EosOnFinish(e) => self.eos_onfinish(e),
            Listener::EosOnError(e) => {
                let err = if let Arg::Error(x) = arg { Some(x) } else { None };
                self.eos_callback(e, err)
            }
            Listener::EosOnClose(e) => self.eos_onclose(e),
            Listener::DestroyerOnClose(pl, st) => self.pipeline_tracker_closed(pl, st),
            Listener::PipelineOnError(pl) => {
                if let Arg::Error(e) = arg {
                    self.pipeline_on_error(pl, e)
                }
            }
            Listener::PairDstClose(pair) => self.pipeline_pair_dst_close(pair),
            Listener::PairEndFn(pair) => self.pipeline_pair_end_fn(pair),
            // `src.once('end', finish).once('error', finish)`
            Listener::PairFinish(pair) => {
                let err = if let Arg::Error(x) = arg { Some(x) } else { None };
                self.pipeline_finish(self.pairs[pair].pipeline, err)
            }
            Listener::LoopDrainResolve => self.write_loop_drain_resolved(s),
            Listener::LoopDrainReject => self.write_loop_drain_rejected(s),
            Listener::LoopFinishResolve => self.write_loop_finish_resolved(s),
            Listener::LoopFinishReject => self.write_loop_finish_rejected(s),
            Listener::User(f) => self.call_user(crate::user_code::UserCall::Listener { stream: s, f, arg }),
        }
    }

    // ---- dispatch of queued work -------------------------------------------------------------

    pub fn run_tick(&mut self, tick: Tick) {
        match tick {
            Tick::ResumeNT(s) => self.resume_nt(s),
            Tick::EmitReadableNT(s) => self.emit_readable_nt(s),
            Tick::MaybeReadMoreNT(s) => self.maybe_read_more_nt(s),
            Tick::EndReadableNT(s) => self.end_readable_nt(s),
            Tick::AfterWrite(s) => self.after_write(s, 1, None),
            Tick::AfterWriteTick(s) => self.after_write_tick(s),
            Tick::FinishCheck(s) => self.finish_check_nt(s),
            Tick::Finish(s) => self.finish(s),
            Tick::EmitCloseNT(s) => self.emit_close_nt(s),
            Tick::EmitErrorCloseNT(s, e) => {
                self.emit_error_nt(s, e);
                self.emit_close_nt(s);
            }
            Tick::EmitErrorNT(s, e) => self.emit_error_nt(s, e),
            Tick::OnWriteError(s, e, cb) => self.onwrite_error(s, e, cb),
            Tick::EndWritableNT(s) => self.end_writable_nt(s),
            Tick::Call(f, arg) => self.call_fn(f, arg),
            Tick::ErrorBuffer(s) => self.error_buffer(s),
            Tick::TransformCallback(s) => self.onwrite(s, None),
            Tick::PipeEndFn(p) => self.pipe_onend(p),
            Tick::PairEndFn(pair) => self.pipeline_pair_end_fn(pair),
            Tick::PipelineCallback(pl) => self.pipeline_callback(pl),
            Tick::EosClose(e) => self.eos_onclose(e),
            Tick::NReadingNextTick(s) => {
                self.read(s, crate::readable::ReadArg::Zero);
            }
            Tick::UpdateReadableListening(s) => self.update_readable_listening(s),
            Tick::EosClosed(e) => self.eos_onclosed(e),
            Tick::User(id) => self.call_user(crate::user_code::UserCall::Tick(id)),
        }
    }

    pub fn run_microtask(&mut self, m: Microtask) {
        match m {
            Microtask::PipelineSettle(pl) => self.pipeline_settle(pl),
            Microtask::Call(f, arg) => self.call_fn(f, arg),
            Microtask::WakeWriteLoop(0) => self.wake_write_loop(),
            Microtask::WakeWriteLoop(n) => self.queue_microtask(Microtask::WakeWriteLoop(n - 1)),
            Microtask::PollWriteLoop(0) => self.poll_write_loop(),
            Microtask::PollWriteLoop(n) => self.queue_microtask(Microtask::PollWriteLoop(n - 1)),
            Microtask::User(id) => self.call_user(crate::user_code::UserCall::Microtask(id)),
        }
    }

    pub fn run_timer(&mut self, cb: TimerCb) {
        match cb {
            TimerCb::SourcePush(s) => self.source_push_next(s),
            TimerCb::TransformDone(s, c) => self.transform_done(s, None, Some(c)),
            TimerCb::SinkDone(s, err) => self.sink_callback(s, err),
            TimerCb::User(id) => self.call_user(crate::user_code::UserCall::Macrotask(id)),
        }
    }

    /// Node's `processTicksAndRejections`: every tick (including new ones), then every
    /// microtask (including new ones), until both queues are empty.
    pub fn drain_queues(&mut self) {
        loop {
            while let Some(t) = self.el.ticks.pop_front() {
                if self.is_halted() {
                    self.el.ticks.clear();
                    break;
                }
                self.run_tick(t);
                if let Some(user) = &self.user {
                    user.clone().between_ticks(self);
                }
            }
            if self.is_halted() {
                self.el.ticks.clear();
                self.el.microtasks.clear();
                return;
            }
            if self.el.microtasks.is_empty() {
                return;
            }
            while let Some(m) = self.el.microtasks.pop_front() {
                if self.is_halted() {
                    break;
                }
                self.run_microtask(m);
            }
            if self.el.ticks.is_empty() && self.el.microtasks.is_empty() {
                return;
            }
        }
    }

    /// An exception escaped: the process dies with it (SCENARIO.md "Errors").
    #[cold]
    #[inline(never)]
    pub fn throw_uncaught(&mut self, e: ErrId) {
        if self.halted.is_none() {
            self.halted = Some(Halt::Uncaught(e));
        }
    }
}
