//! The host: what the program's natives, Boa's job queue and the core's user calls share.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use boa_engine::builtins::promise::{OperationType, PromiseState};
use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, HostHooks};
use boa_engine::job::{Job, JobExecutor, NativeAsyncJob, PromiseJob};
use boa_engine::object::builtins::JsPromise;
use boa_engine::{Context, JsError, JsObject, JsResult, JsValue};
use streamlab::user_code::{UserCall, UserCode};
use streamlab::world::{Halt, Microtask, Tick, TimerCb, World};

use crate::lent::Lent;
use crate::report::Fatal;
use crate::{Output, Stream};

/// Node's `Date.now()` at virtual time 0 (2026-01-01T00:00:00Z): fixed, so runs repeat.
pub const EPOCH_MS: u64 = 1_767_225_600_000;

/// What a queued id stands for.
pub enum Callback {
    Promise(PromiseJob),
    Func { f: JsObject, args: Vec<JsValue>, repeat: Option<u64> },
}

/// The runner's limits (exit code 3 when passed).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Callbacks run: promise jobs, ticks, timers, immediates.
    pub callbacks: u64,
    /// Callbacks waiting at one time.
    pub pending: usize,
    /// Loop iterations per function activation (Boa's RuntimeLimits).
    pub loop_iterations: u64,
    /// Nested calls (Boa's RuntimeLimits).
    pub recursion: usize,
    /// Characters written to stdout and stderr together.
    pub output_chars: usize,
    /// Characters in one string made by `repeat`/`padStart`/`padEnd`.
    pub string_chars: usize,
    /// Stream events (the core's trace events: reads, pushes, writes, callbacks, emits).
    pub events: u64,
    /// Real time, in seconds, when the runner has a clock (`Options::clock`).
    pub seconds: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            callbacks: 1_000_000,
            pending: 100_000,
            loop_iterations: 10_000_000,
            recursion: 400,
            output_chars: 1_000_000,
            string_chars: 1 << 25,
            events: 20_000_000,
            seconds: 20.0,
        }
    }
}

pub struct Host {
    pub world: Lent<World>,
    pub ctx: Lent<Context>,
    pub callbacks: RefCell<HashMap<u32, Callback>>,
    next_id: Cell<u32>,
    pub async_jobs: RefCell<VecDeque<NativeAsyncJob>>,
    pub output: RefCell<Vec<Output>>,
    output_chars: Cell<usize>,
    pub fatal: RefCell<Option<Fatal>>,
    /// Promises rejected with no handler yet (Node checks after each macrotask's drain).
    pub rejections: RefCell<Vec<JsObject>>,
    pub now: Rc<Cell<u64>>,
    pub limits: Limits,
    /// The Node major version modelled: 20 or 22.
    pub node: u8,
    callbacks_run: Cell<u64>,
    /// The program's file name and text (set when it comes: a host may be prepared first).
    pub filename: RefCell<String>,
    pub source: RefCell<String>,
    /// The prelude's `inspect`, to print uncaught errors as Node does.
    pub inspect: RefCell<Option<JsObject>>,
    /// The prelude's `reportParts`: a header for errors Node throws itself, trailing lines.
    pub report_parts: RefCell<Option<JsObject>>,
    /// The program's streams: their objects, chunk values, callbacks and errors.
    pub streams: crate::streams::StreamTables,
    /// The streams' buffered amounts at the end of each loop turn.
    pub samples: RefCell<crate::recording::Samples>,
    /// The program's line behind each trace event (only while the trace is kept).
    pub lines: RefCell<crate::source_lines::SourceLines>,
    /// `Buffer.prototype`, for the Buffers made in Rust (buffers.rs).
    pub buffer_prototype: RefCell<Option<JsObject>>,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Host({} callbacks queued)", self.callbacks.borrow().len())
    }
}

impl Host {
    pub fn new(filename: &str, source: &str, limits: Limits, node: u8) -> Host {
        Host {
            world: Lent::default(),
            ctx: Lent::default(),
            callbacks: RefCell::new(HashMap::new()),
            next_id: Cell::new(1),
            async_jobs: RefCell::new(VecDeque::new()),
            output: RefCell::new(Vec::new()),
            output_chars: Cell::new(0),
            fatal: RefCell::new(None),
            rejections: RefCell::new(Vec::new()),
            now: Rc::new(Cell::new(0)),
            limits,
            node,
            callbacks_run: Cell::new(0),
            filename: RefCell::new(filename.to_string()),
            source: RefCell::new(source.to_string()),
            inspect: RefCell::new(None),
            report_parts: RefCell::new(None),
            streams: Default::default(),
            samples: Default::default(),
            lines: Default::default(),
            buffer_prototype: RefCell::new(None),
        }
    }

    /// `process.versions.node` of the Node modelled.
    pub fn node_version(&self) -> &'static str {
        if self.node == 22 {
            crate::report::NODE22_VERSION
        } else {
            crate::report::NODE20_VERSION
        }
    }

    pub fn is_fatal(&self) -> bool {
        self.fatal.borrow().is_some()
    }

    /// Ends the program (the first reason wins) and halts the world if it is reachable.
    pub fn set_fatal(&self, fatal: Fatal) {
        if self.fatal.borrow().is_none() {
            *self.fatal.borrow_mut() = Some(fatal);
        }
        self.world.with(halt);
    }

    /// Stores a callback; `None` (and a fatal limit) when too many are waiting.
    pub fn add_callback(&self, callback: Callback) -> Option<u32> {
        if self.callbacks.borrow().len() >= self.limits.pending {
            self.set_fatal(Fatal::Limit(format!(
                "more than {} callbacks waiting at once (timers, immediates, ticks and promise jobs)",
                self.limits.pending
            )));
            return None;
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        self.callbacks.borrow_mut().insert(id, callback);
        Some(id)
    }

    /// Queues on the world; a fatal error when no world is lent (a bug, never a panic).
    pub fn on_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> Option<R> {
        let r = self.world.with(f);
        if r.is_none() {
            self.set_fatal(Fatal::Internal("the world was not reachable from a native".into()));
        }
        r
    }

    pub fn write(&self, stream: Stream, text: String) {
        let total = self.output_chars.get() + text.len();
        self.output_chars.set(total);
        if total > self.limits.output_chars {
            self.set_fatal(Fatal::Limit(format!("more than {} characters of output", self.limits.output_chars)));
            return;
        }
        let mut out = self.output.borrow_mut();
        // Consecutive writes at one time to one stream make one entry.
        if let Some(last) = out.last_mut() {
            if last.t == self.now.get() && last.stream == stream {
                last.text.push_str(&text);
                return;
            }
        }
        out.push(Output { t: self.now.get(), stream, text });
    }

    /// Runs one callback in the context (lent by the caller).
    fn run_callback(&self, callback: Callback, ctx: &mut Context) -> JsResult<()> {
        match callback {
            Callback::Promise(job) => job.call(ctx).map(|_| ()),
            Callback::Func { f, args, .. } => f.call(&JsValue::undefined(), &args, ctx).map(|_| ()),
        }
    }

    /// Node's check after a drain: a rejected promise nobody handled ends the program.
    pub fn check_rejections(&self, ctx: &mut Context) {
        let first = self.rejections.borrow_mut().drain(..).next();
        let Some(promise) = first else { return };
        let reason = match JsPromise::from_object(promise) {
            Ok(p) => match p.state() {
                PromiseState::Rejected(v) => v,
                _ => return,
            },
            Err(_) => return,
        };
        let fatal = crate::report::unhandled_rejection(self, reason, ctx);
        self.set_fatal(fatal);
    }

    /// The number of callbacks run so far; a fatal limit when past the budget.
    fn count_callback(&self) -> bool {
        let n = self.callbacks_run.get() + 1;
        self.callbacks_run.set(n);
        if n > self.limits.callbacks {
            self.set_fatal(Fatal::Limit(format!(
                "more than {} callbacks run (promise jobs, ticks, timers and immediates): is something queueing itself forever?",
                self.limits.callbacks
            )));
            return false;
        }
        true
    }
}

fn halt(w: &mut World) {
    if w.halted.is_none() {
        w.halted = Some(Halt::Budget("the program ended".into()));
    }
}

impl UserCode for Host {
    fn slice(&self, payload: u32, start: u64, end: u64) -> u32 {
        let value = self.payload_out(payload);
        self.payload_op("slice", vec![value, JsValue::from(start as f64), JsValue::from(end as f64)])
    }

    fn write_method(
        &self,
        world: &mut World,
        stream: streamlab::world::StreamId,
        chunk: streamlab::world::Chunk,
    ) -> bool {
        let ret = self.call_write_method(world, stream, chunk);
        if self.is_fatal() {
            halt(world);
        }
        ret
    }

    fn between_ticks(&self, world: &World) {
        self.sweep_payloads(world);
    }

    fn empty_string(&self) -> u32 {
        self.payload_in(JsValue::from(boa_engine::js_string!("")))
    }

    fn concat(&self, parts: &[u32]) -> u32 {
        let values: Vec<JsValue> = parts.iter().map(|&p| self.payload_out(p)).collect();
        let list = self.ctx.with(|ctx| boa_engine::object::builtins::JsArray::from_iter(values, ctx));
        match list {
            Some(list) => self.payload_op("concat", vec![list.into()]),
            None => 0,
        }
    }

    fn call(&self, world: &mut World, call: UserCall) {
        if self.is_fatal() {
            halt(world);
            return;
        }
        self.now.set(world.now());
        if matches!(call, UserCall::Macrotask(_)) && !self.rejections.borrow().is_empty() {
            // The previous macrotask's drain left an unhandled rejection: Node dies before this one.
            let done = self.world.lend(world, || self.ctx.with(|ctx| self.check_rejections(ctx)));
            if done.is_none() {
                self.set_fatal(Fatal::Internal("no context to report a rejection".into()));
            }
            if self.is_fatal() {
                halt(world);
                return;
            }
        }
        let id = match call {
            UserCall::Tick(id) | UserCall::Microtask(id) | UserCall::Macrotask(id) => id,
            // The streams' calls (streams.rs); bounded by the core's event budget, not counted.
            _ => {
                self.stream_call(world, call);
                if self.is_fatal() {
                    halt(world);
                }
                return;
            }
        };
        if !self.count_callback() {
            halt(world);
            return;
        }
        // One-shot callbacks leave the table; an interval stays until cleared.
        let repeat = match self.callbacks.borrow().get(&id) {
            Some(Callback::Func { repeat: Some(d), .. }) => Some(*d),
            Some(_) => None,
            None => return, // cleared
        };
        // An interval's callback stays in the table (cloned to run); others are taken out.
        let callback = if repeat.is_some() {
            match self.callbacks.borrow().get(&id) {
                Some(Callback::Func { f, args, .. }) => Callback::Func { f: f.clone(), args: args.clone(), repeat },
                _ => return,
            }
        } else {
            match self.callbacks.borrow_mut().remove(&id) {
                Some(cb) => cb,
                None => return,
            }
        };
        let result = self
            .world
            .lend(world, || self.ctx.with(|ctx| self.run_callback(callback, ctx).map_err(|e| self.fatal_of(e, ctx))));
        // Node re-inserts an interval in `listOnTimeout`'s finally, before anything else.
        if let Some(d) = repeat {
            if self.callbacks.borrow().contains_key(&id) {
                world.el.set_timeout(d, TimerCb::User(id));
            }
        }
        match result {
            None => self.set_fatal(Fatal::Internal("no context was lent to run a callback".into())),
            Some(Err(fatal)) => self.set_fatal(fatal),
            Some(Ok(())) => {}
        }
        if self.is_fatal() {
            halt(world);
        }
    }
}

impl Host {
    /// What an error escaping a callback means for the program.
    pub fn fatal_of(&self, e: JsError, ctx: &mut Context) -> Fatal {
        if let Some(f) = self.fatal.borrow_mut().take() {
            // process.exit() or an unsupported require() throws to unwind; its reason stands.
            return f;
        }
        crate::report::uncaught(self, e, ctx)
    }
}

impl JobExecutor for Host {
    fn enqueue_job(self: Rc<Self>, job: Job, _context: &mut Context) {
        match job {
            Job::PromiseJob(job) => {
                if let Some(id) = self.add_callback(Callback::Promise(job)) {
                    self.on_world(|w| w.queue_microtask(Microtask::User(id)));
                }
            }
            Job::AsyncJob(job) => self.async_jobs.borrow_mut().push_back(job),
            _ => self.set_fatal(Fatal::Internal("an engine job of an unexpected kind".into())),
        }
    }

    /// Module loading is the only user: it runs the async jobs (always ready futures).
    fn run_jobs(self: Rc<Self>, context: &mut Context) -> JsResult<()> {
        loop {
            let job = self.async_jobs.borrow_mut().pop_front();
            let Some(job) = job else { return Ok(()) };
            let cell = RefCell::new(&mut *context);
            futures_lite::future::block_on(job.call(&cell))?;
        }
    }
}

impl HostHooks for Host {
    fn promise_rejection_tracker(
        &self,
        promise: &boa_engine::object::JsObject<boa_engine::builtins::promise::Promise>,
        operation: OperationType,
        _context: &mut Context,
    ) {
        let p = promise.clone().upcast();
        let mut list = self.rejections.borrow_mut();
        match operation {
            OperationType::Reject => list.push(p),
            OperationType::Handle => list.retain(|x| !JsObject::equals(x, &p)),
        }
    }
}

/// Boa's clock for `Date`: the world's virtual time after [`EPOCH_MS`].
pub struct VirtualClock(pub Rc<Cell<u64>>);

impl Clock for VirtualClock {
    fn now(&self) -> JsInstant {
        let ms = EPOCH_MS + self.0.get();
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        (EPOCH_MS + self.0.get()) as i64
    }
}

/// Ticks queue here (the core's nextTick queue).
pub fn queue_tick(host: &Host, id: u32) {
    host.on_world(|w| w.next_tick(Tick::User(id)));
}
