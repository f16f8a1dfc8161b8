//! # The code lab: a learner's Node.js program, run by Boa on Streamlab's core
//!
//! [`exec`] runs one program (an ES module or a CommonJS script) as Node 20 would, on the
//! core's event loop in virtual time, and returns its output, exit code and message.
//!
//! ## Who owns what
//!
//! - The **World** (the core) owns the clock, the nextTick queue, the microtask queue, the
//!   timer lists and the check phase, and decides the order of everything. It holds the
//!   program's callbacks only as ids (`Tick::User`, `Microtask::User`, `TimerCb::User`) and
//!   calls them through the [`streamlab::user_code::UserCode`] trait, which [`host::Host`]
//!   implements. Every Boa promise job goes into the core's microtask queue; nothing runs on
//!   a second loop.
//! - The **Boa `Context`** owns the JS heap. [`exec`] owns both the world and the context
//!   on its stack for the whole run.
//! - The **Host** (one `Rc`, installed in the context as its job executor, host hooks and,
//!   through [`modules::Loader`], module loader) owns the JS-side tables: the callback behind
//!   each id (`JsObject` + arguments, or Boa's `PromiseJob`), the output, the fatal reason,
//!   the unhandled rejections. Natives are plain `fn` pointers; they find the host with
//!   `ctx.downcast_job_executor::<Host>()`.
//!
//! ## Re-entrancy: how a native reaches the world
//!
//! Node's call chains cross the boundary in both directions: JS → native (`setTimeout`, later
//! `stream.write`) → core → user JS (`_write`) → native (`callback()`) → core … The core's
//! methods take `&mut World`, and Boa's natives get only `&mut Context`. Both references are
//! passed down the stack, never stored: [`lent::Lent`] makes a `&mut` reachable for the
//! length of one call and hands it out to one taker at a time.
//!
//! - The core calls user code with `&mut World`: `Host::call` **lends the world**
//!   (`host.world.lend(world, …)`) and, inside, **takes the context** (`host.ctx.with(…)`)
//!   to call the JS function.
//! - A native that only queues (`setTimeout`, `nextTick`, a promise job) **takes the world**
//!   (`host.world.with(…)`) and pushes onto its queues.
//! - A native that calls into the core which may call user code again (streams, next)
//!   **lends its context** first: `host.ctx.lend(ctx, || host.world.with(|w| w.write(…)))`.
//!   The core then calls `Host::call`, which lends that world and takes that context, and so
//!   on down the stack. At the top, [`exec`] lends both.
//!
//! While one frame holds the world (or the context) its slot is empty, so there are never two
//! `&mut` to it and no `RefCell` is borrowed across a call into JS (every table borrow in the
//! host ends before JS runs). Each lend restores the slot before it returns, unwinding
//! included.
//!
//! ## Node's checkpoints
//!
//! The main script runs, then `drain_queues` (processTicksAndRejections: ticks, then
//! microtasks, repeated). An ES module's body runs inside a microtask in Node, so after it the
//! microtasks run before the ticks (`World::run_microtasks`, then the drain). Then the loop:
//! `World::run_program_turn` (timers phase, check phase, a drain after each callback). An
//! unhandled rejection ends the program at the next macrotask (or at the end of the turn).
//!
//! ## Limits (exit code 3)
//!
//! Boa's loop-iteration and recursion limits stop `while(true){}` and runaway recursion (JS
//! cannot catch them); the host counts every callback it runs (promise jobs included, so
//! `for(;;) await null` ends), caps callbacks waiting at once (10^8 timers) and the output.
//!
//! ## Streams (the next step): handles on the core's state machines
//!
//! `Readable`/`Writable`/`Transform` stay the core's state machines (readable.rs, writable.rs,
//! transform.rs); a JS stream object is a handle: a `Stream` id in a hidden slot, its methods
//! natives. Nothing is re-implemented in JS. What the core needs, each small and additive:
//!
//! - **A user implementation per stream**: `Stream { user: Option<u32>, .. }` (the host's handle
//!   id). Where the core calls the scenario's behaviours today (`call_write` → `sink_write`,
//!   `transform_write` → `user_transform`, `source_read`), a stream with `user` set calls
//!   `UserCall::Write { stream, chunk }`, `UserCall::Transform { .. }`, `UserCall::Read { .. }`,
//!   `UserCall::Final { .. }` instead; the host calls `_write(chunk, encoding, cb)` etc.
//!   A stream with `_writev` gets `UserCall::Writev { .. }` from clearBuffer, with the
//!   buffered writes in `WritableState::writev_chunks`.
//! - **Chunks carry a payload id**: `Chunk { kind, bytes, payload: u32 }`. The core keeps
//!   counting bytes and objects as Node does (`length`, `highWaterMark`); the JS value lives in
//!   the host's payload table and is handed back when the core passes the chunk to user code
//!   (`_write`, `_transform`, a 'data' listener). Released when the last of those returns.
//! - **Callbacks are natives bound to a write**: the `cb` given to `_write` is a native closure
//!   over (stream id, write serial) that lends its context and calls `world.onwrite(s, err)`
//!   (a second call is Node's `ERR_MULTIPLE_CALLBACK`); `_transform`'s `cb(err, data)` calls
//!   `transform_done`; `push(chunk)` calls `readable.push` and returns its boolean.
//! - **`Listener::User(u32)`**: user listeners sit in the same per-stream lists as Node's own
//!   (pipe's `ondata`, eos, pipeline), because registration order is observable. `on('data')`
//!   goes through the core (it starts the flow); `call_listener` dispatches `Listener::User` to
//!   `UserCall::Listener { id, arg }`, the host turns `Arg` into JS values (chunk → payload,
//!   `Arg::Error(e)` → the JS error object kept for `ErrId` e). Event names the core does not
//!   know (a learner's `emit('progress')`) stay in the JS EventEmitter the handle extends.
//! - **Errors both ways**: a JS error given to `cb(err)` or `destroy(err)` becomes a `NodeError`
//!   with an `ErrId` and the host keeps the JS object for it; an exception escaping user code
//!   halts the world (`Halt::Uncaught`), as today.
//!
//! Every one of these is a `match` arm or a field in the core, plus a native in this crate; the
//! re-entrancy above (lend the context, take the world) already covers `write → _write → cb →
//! onwrite → 'drain' listener → write`.

pub mod buffers;
pub mod host;
pub mod lent;
pub mod methods;
pub mod modules;
pub mod natives;
pub mod recording;
pub mod report;
pub mod source_lines;
pub mod streams;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use std::rc::Rc;

use boa_engine::builtins::promise::PromiseState;
use boa_engine::vm::RuntimeLimits;
use boa_engine::{js_string, Context, JsNativeError, JsValue, Module, Script, Source};
use streamlab::world::World;

use host::{Host, Limits, VirtualClock};
use report::Fatal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One write to stdout or stderr, at virtual time `t` (ms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub t: u64,
    pub stream: Stream,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// An ES module (`.mjs`) rather than a CommonJS script; `None`: by the file name.
    pub module: Option<bool>,
    pub limits: Limits,
    /// Milliseconds from some fixed start: with one, the run stops after `limits.seconds`.
    pub clock: Option<fn() -> f64>,
    /// Keep the streams' trace (its first `recording::TRACE_CAP` events).
    pub trace: bool,
    /// The Node major version to behave as: 22, or 20 (any other value, the default).
    pub node: u8,
}

#[derive(Clone, Debug)]
pub struct ProgramResult {
    pub output: Vec<Output>,
    /// 0 finished, 1 uncaught error, 2 syntax error or unsupported module, 3 a limit,
    /// 13 an unsettled top-level await (as Node), 70 an internal error of the runner, or the
    /// program's `process.exit(code)`.
    pub exit_code: i32,
    /// Why it ended early, as printed to stderr (empty when it finished).
    pub message: String,
    /// Virtual time at the end (ms).
    pub ended_at: u64,
    /// Every stream the program made, in the order it made them.
    pub streams: Vec<StreamInfo>,
    /// The most bytes (objects in object mode) buffered in all streams at once.
    pub max_buffered: u64,
    /// Stream events recorded (reads, pushes, writes, callbacks, emits).
    pub events: u64,
    /// The streams' buffered amounts at the end of loop turns.
    pub samples: recording::Samples,
    /// The streams' trace, when asked for.
    pub recording: Option<recording::Recording>,
}

/// A stream the program made, as the page names and draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamInfo {
    /// Its class and creation index (`FastProducer 1`, `new Readable 2`).
    pub name: String,
    /// `readable`, `writable`, `duplex` or `transform`.
    pub kind: &'static str,
    pub readable_hwm: Option<u64>,
    pub writable_hwm: Option<u64>,
    pub object_mode: bool,
}

impl StreamInfo {
    fn of(s: &streamlab::world::Stream) -> StreamInfo {
        let kind = match (&s.r, &s.w, &s.transform) {
            (_, _, Some(_)) => "transform",
            (Some(_), Some(_), None) => "duplex",
            (Some(_), None, None) => "readable",
            _ => "writable",
        };
        StreamInfo {
            name: s.name.clone(),
            kind,
            readable_hwm: s.r.as_ref().map(|r| r.high_water_mark),
            writable_hwm: s.w.as_ref().map(|w| w.high_water_mark),
            object_mode: s.r.as_ref().is_some_and(|r| r.object_mode) || s.w.as_ref().is_some_and(|w| w.object_mode),
        }
    }
}

impl ProgramResult {
    pub fn stdout(&self) -> String {
        self.text(Stream::Stdout)
    }
    pub fn stderr(&self) -> String {
        self.text(Stream::Stderr)
    }
    fn text(&self, stream: Stream) -> String {
        self.output.iter().filter(|o| o.stream == stream).map(|o| o.text.as_str()).collect()
    }
}

const PRELUDE: &str = include_str!("prelude.js");
const EVENTS: &str = include_str!("events.js");
const BUFFER: &str = include_str!("buffer.js");
const STREAM: &str = include_str!("stream.js");

/// Runs a program to its end. Never panics on the program's account: every way a program can
/// end is a [`ProgramResult`].
pub fn exec(source: &str, filename: &str, options: &Options) -> ProgramResult {
    // A panic in the engine (a bug, never the program's doing) is reported, not propagated.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| exec_inner(source, filename, options)))
        .unwrap_or_else(|panic| panicked(&panic))
}

/// A panic in the engine (a bug, never the program's doing) as the run's result.
fn panicked(panic: &Box<dyn std::any::Any + Send>) -> ProgramResult {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    // Boa panics when a limit error leaves the body of a module with top-level await
    // ("async modules cannot directly throw"): that is the program's limit, said as one.
    let (exit_code, message) = match report::limit_in_panic(&what) {
        Some(limit) => (3, format!("Streamlab stopped the program: {limit}\n")),
        None => (70, format!("Streamlab internal error: the engine panicked: {what}\n")),
    };
    ProgramResult {
        output: vec![Output { t: 0, stream: Stream::Stderr, text: message.clone() }],
        exit_code,
        message,
        ended_at: 0,
        streams: Vec::new(),
        max_buffered: 0,
        events: 0,
        samples: Default::default(),
        recording: None,
    }
}

/// An engine with Node's globals made, waiting for its program: the page's spare Worker makes
/// one while the learner reads the last run's output, since the prelude (Node's modules in
/// JavaScript, parsed each time) is most of a small program's run.
pub struct Prepared {
    host: Rc<Host>,
    world: World,
    ctx: Context,
    node: u8,
    limits: host::Limits,
}

impl Prepared {
    /// Whether a run with these options may use it: the prelude is made for one Node version,
    /// and the engine's limits are set in it.
    pub fn fits(&self, options: &Options) -> bool {
        let node = if options.node == 22 { 22 } else { 20 };
        self.node == node && self.limits == options.limits
    }
}

/// Makes an engine and runs the prelude (`Err`: the run's result, the engine failing).
pub fn prepare(node: u8, limits: host::Limits) -> Result<Prepared, Box<ProgramResult>> {
    let node = if node == 22 { 22 } else { 20 };
    let host = Rc::new(Host::new("", "", limits, node));
    let loader = Rc::new(modules::Loader { host: host.clone() });
    let mut world = World::for_program_on(host.clone(), node);
    let built = Context::builder()
        .job_executor(host.clone())
        .host_hooks(host.clone())
        .module_loader(loader)
        .clock(Rc::new(VirtualClock(host.now.clone())))
        .build();
    let mut ctx = match built {
        Ok(c) => c,
        Err(e) => {
            return Err(Box::new(finish(&host, Some(Fatal::Internal(format!("the engine did not start: {e}"))), 0)))
        }
    };
    let mut runtime = RuntimeLimits::default();
    runtime.set_loop_iteration_limit(limits.loop_iterations);
    runtime.set_recursion_limit(limits.recursion);
    ctx.set_runtime_limits(runtime);
    // Node's globals.
    let setup =
        host.world.lend(&mut world, || host.ctx.lend(&mut ctx, || host.ctx.with(|c| install_prelude(&host, c))));
    match setup {
        Some(Ok(())) => Ok(Prepared { host, world, ctx, node, limits }),
        Some(Err(f)) => Err(Box::new(finish(&host, Some(f), 0))),
        None => Err(Box::new(finish(&host, Some(Fatal::Internal("no context".into())), 0))),
    }
}

/// Runs a program on a prepared engine (made for `options.node` and `options.limits`).
pub fn exec_prepared(prepared: Prepared, source: &str, filename: &str, options: &Options) -> ProgramResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_prepared(prepared, source, filename, options)))
        .unwrap_or_else(|panic| panicked(&panic))
}

fn exec_inner(source: &str, filename: &str, options: &Options) -> ProgramResult {
    match prepare(options.node, options.limits) {
        Ok(p) => run_prepared(p, source, filename, options),
        Err(r) => *r,
    }
}

fn run_prepared(prepared: Prepared, source: &str, filename: &str, options: &Options) -> ProgramResult {
    let Prepared { host, mut world, mut ctx, .. } = prepared;
    let is_module = options.module.unwrap_or_else(|| filename.ends_with(".mjs"));
    *host.filename.borrow_mut() = filename.to_string();
    *host.source.borrow_mut() = source.to_string();
    if let Err(e) = set_argv(filename, &mut ctx) {
        return finish(&host, Some(Fatal::Internal(format!("process.argv: {e}"))), 0);
    }
    world.event_budget = options.limits.events;
    if options.trace {
        world.rec.keep_trace = true;
        world.trace_cap = recording::TRACE_CAP;
    }
    // The time budget counts from here, not from when the engine was prepared.
    world.deadline = options.clock.map(|c| streamlab::sim::Deadline::new(c, options.limits.seconds * 1000.0));
    let outcome = host.world.lend(&mut world, || host.ctx.lend(&mut ctx, || run(&host, source, is_module)));
    let ended_at = world.now();
    let mut result = finish(&host, outcome, ended_at);
    result.streams = world.streams.iter().map(StreamInfo::of).collect();
    result.max_buffered = world.rec.counters.max_buffered_bytes;
    result.events = world.rec.event_count;
    host.samples.borrow_mut().take(&world);
    result.samples = host.samples.take();
    if options.trace {
        let mut rec = recording::Recording::of(&world);
        rec.lines = host.lines.take();
        result.recording = Some(rec);
    }
    result
}

/// `process.argv[1]`, the program's file (the prelude ran before it was known).
fn set_argv(filename: &str, ctx: &mut Context) -> boa_engine::JsResult<()> {
    let process = ctx.global_object().get(js_string!("process"), ctx)?;
    let argv = process.as_object().map(|p| p.get(js_string!("argv"), ctx)).transpose()?;
    if let Some(argv) = argv.as_ref().and_then(JsValue::as_object) {
        argv.set(1, boa_engine::JsString::from(filename), true, ctx)?;
    }
    Ok(())
}

fn finish(host: &Host, outcome: Option<Fatal>, ended_at: u64) -> ProgramResult {
    let fatal = host.fatal.borrow_mut().take().or(outcome);
    let (exit_code, message) = match fatal {
        None => (0, String::new()),
        Some(f) => {
            let code = f.exit_code();
            let text = match f {
                Fatal::Uncaught(t) | Fatal::Syntax(t) => t,
                Fatal::Unsupported(t) => format!("{t}\n"),
                Fatal::Limit(t) => format!("Streamlab stopped the program: {t}\n"),
                Fatal::Exit(_) => String::new(),
                Fatal::Internal(t) => format!("Streamlab internal error: {t}\n"),
            };
            (code, text)
        }
    };
    let mut output = host.output.borrow().clone();
    if !message.is_empty() {
        output.push(Output { t: ended_at, stream: Stream::Stderr, text: message.clone() });
    }
    ProgramResult {
        output,
        exit_code,
        message,
        ended_at,
        streams: Vec::new(),
        max_buffered: 0,
        events: 0,
        samples: Default::default(),
        recording: None,
    }
}

/// Sets up Node's globals, runs the program and its event loop. `Some(fatal)` when it ends early.
fn run(host: &Rc<Host>, source: &str, is_module: bool) -> Option<Fatal> {
    let in_ctx = |f: &mut dyn FnMut(&mut Context) -> Result<(), Fatal>| -> Result<(), Fatal> {
        host.ctx.with(f).unwrap_or_else(|| Err(Fatal::Internal("no context".into())))
    };
    let filename = host.filename.borrow().clone();
    let mut evaluation = None;
    let started = in_ctx(&mut |ctx| {
        let src = Source::from_bytes(source.as_bytes()).with_path(std::path::Path::new(&filename));
        if is_module {
            let module = Module::parse(src, None, ctx).map_err(|e| report::syntax(host, &e))?;
            let loading = module.load(ctx);
            let _ = ctx.run_jobs();
            if let Some(f) = host.fatal.borrow_mut().take() {
                return Err(f);
            }
            // Loading settles through promise jobs, now in the core's queue: drain it with this
            // context lent, as a native does, since `Host::call` takes the context to run them.
            host.ctx.lend(ctx, || host.world.with(|w| w.drain_queues()));
            let _ = ctx.run_jobs();
            if let PromiseState::Rejected(e) = loading.state() {
                return Err(Fatal::Unsupported(format!("{filename}\n{}", e.display())));
            }
            module.link(ctx).map_err(|e| report::uncaught(host, e, ctx))?;
            let promise =
                natives::as_module_body(|| module.evaluate(ctx)).map_err(|e| report::uncaught(host, e, ctx))?;
            evaluation = Some(promise);
        } else {
            let script = Script::parse(src, None, ctx).map_err(|e| report::syntax(host, &e))?;
            install_commonjs(ctx).map_err(|e| report::uncaught(host, e, ctx))?;
            script.evaluate(ctx).map_err(|e| host.fatal_of(e, ctx))?;
        }
        Ok(())
    });
    if let Err(f) = started {
        return Some(f);
    }
    if host.is_fatal() {
        return None;
    }
    // The main module's checkpoint.
    host.world.with(|w| {
        if is_module {
            w.run_microtasks();
        }
        w.drain_queues();
    });
    check_rejections(host);
    run_async_jobs(host);
    // Node's event loop.
    check_uncaught(host);
    host.world.with(|w| host.samples.borrow_mut().take(w));
    while !host.is_fatal() && host.world.with(|w| w.run_program_turn()).unwrap_or(false) {
        host.world.with(|w| host.samples.borrow_mut().take(w));
        check_uncaught(host);
        check_rejections(host);
        run_async_jobs(host);
        host.world.with(|w| host.sweep_payloads(w));
    }
    check_uncaught(host);
    check_budget(host);
    check_rejections(host);
    if host.is_fatal() {
        return None;
    }
    // A program may set `process.exitCode` and end normally.
    let exit_code =
        host.ctx.with(|ctx| ctx.eval(Source::from_bytes(b"process.exitCode")).ok().and_then(|v| v.as_number()));
    if let Some(Some(code)) = exit_code {
        if code.is_finite() && code != 0.0 {
            return Some(Fatal::Exit(code as i32));
        }
    }
    if let Some(p) = evaluation {
        if let PromiseState::Pending = p.state() {
            return Some(Fatal::Uncaught(format!(
                "Warning: Detected unsettled top-level await at {}\n\n\n",
                host.filename.borrow()
            )))
            .map(|f| match f {
                Fatal::Uncaught(t) => {
                    host.write(Stream::Stderr, t);
                    Fatal::Exit(13)
                }
                other => other,
            });
        }
    }
    None
}

/// A dynamic `import()` loads through Boa's async jobs: run them, then Node's drain.
fn run_async_jobs(host: &Host) {
    while !host.is_fatal() && !host.async_jobs.borrow().is_empty() {
        host.ctx.with(|ctx| {
            let _ = ctx.run_jobs();
        });
        host.world.with(|w| w.drain_queues());
    }
}

/// The core stopped at its event budget or time budget: a limit, named for a program.
pub(crate) fn check_budget(host: &Host) {
    if host.is_fatal() {
        return;
    }
    let events = host.limits.events;
    let seconds = host.limits.seconds;
    let message = host.world.with(|w| match &w.halted {
        Some(streamlab::world::Halt::Budget(m)) if m.contains("time budget") => Some(format!(
            "it ran for more than {seconds} s of real time (the runner's time budget; {} stream events so far): is a stream pushing or writing forever?",
            w.rec.event_count
        )),
        Some(streamlab::world::Halt::Budget(_)) => Some(format!(
            "more than {events} stream events (reads, pushes, writes, callbacks and events; the runner's budget): is a stream pushing or writing forever?"
        )),
        _ => None,
    });
    if let Some(Some(m)) = message {
        host.set_fatal(Fatal::Limit(m));
    }
}

/// An 'error' with no listener emitted by the core outside any call of the program's (in a
/// tick or timer of its own) is an uncaught exception.
fn check_uncaught(host: &Host) {
    if host.is_fatal() {
        return;
    }
    let fatal = host.ctx.with(|ctx| {
        let v = host.world.with(|w| host.take_uncaught(w, true, ctx)).flatten()?;
        Some(report::uncaught(host, boa_engine::JsError::from_opaque(v), ctx))
    });
    if let Some(Some(f)) = fatal {
        host.set_fatal(f);
    }
}

fn check_rejections(host: &Host) {
    if !host.rejections.borrow().is_empty() && !host.is_fatal() {
        host.ctx.with(|ctx| host.check_rejections(ctx));
    }
}

fn install_prelude(host: &Host, ctx: &mut Context) -> Result<(), Fatal> {
    let internal = |e: boa_engine::JsError| Fatal::Internal(format!("the prelude failed: {e}"));
    let events = ctx.eval(Source::from_bytes(EVENTS.as_bytes())).map_err(internal)?;
    let buffer = ctx.eval(Source::from_bytes(BUFFER.as_bytes())).map_err(internal)?;
    let stream = ctx.eval(Source::from_bytes(STREAM.as_bytes())).map_err(internal)?;
    let make = ctx.eval(Source::from_bytes(PRELUDE.as_bytes())).map_err(internal)?;
    let host_obj = natives::host_object(
        ctx,
        &host.filename.borrow(),
        host.node_version(),
        [events, buffer, stream],
        host.limits.string_chars,
    );
    let make = make.as_callable().ok_or_else(|| Fatal::Internal("the prelude is not a function".into()))?;
    let made = make.call(&JsValue::undefined(), &[host_obj.into()], ctx).map_err(internal)?;
    let made = made.as_object().ok_or_else(|| Fatal::Internal("the prelude returned no object".into()))?;
    let modules = made.get(js_string!("modules"), ctx).map_err(internal)?;
    let inspect = made.get(js_string!("inspect"), ctx).map_err(internal)?;
    *host.inspect.borrow_mut() = inspect.as_callable();
    let parts = made.get(js_string!("reportParts"), ctx).map_err(internal)?;
    *host.report_parts.borrow_mut() = parts.as_callable();
    let dispatch = made.get(js_string!("streamDispatch"), ctx).map_err(internal)?;
    *host.streams.dispatch.borrow_mut() = dispatch.as_callable();
    let make_error = made.get(js_string!("makeError"), ctx).map_err(internal)?;
    *host.streams.make_error.borrow_mut() = make_error.as_callable();
    let modules = modules.as_object().ok_or_else(|| Fatal::Internal("no modules".into()))?;
    ctx.insert_data(modules::Builtins(modules));
    Ok(())
}

/// CommonJS: `module`, `exports`, `__filename`, `__dirname` (the script runs at top level).
fn install_commonjs(ctx: &mut Context) -> boa_engine::JsResult<()> {
    ctx.eval(Source::from_bytes(
        b"globalThis.module = { exports: {} }; globalThis.exports = module.exports; globalThis.__filename = process.argv[1]; globalThis.__dirname = '/';",
    ))
    .map(|_| ())
    .map_err(|e| JsNativeError::error().with_message(e.to_string()).into())
}
